package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.redisoperator.controller.cluster.StatusWriteGate.When;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatusWriteGateTest {
  /** When the actor started; its first write is confirmed then too where a test says so. */
  private static final Instant START = Instant.parse("2026-12-05T12:00:00Z");

  private static final Instant SOON = START.plusSeconds(1);
  private static final Instant DUE = START.plus(StatusWriteGate.START_UP_SPACING);
  private static final Set<String> NONE_AWAITED = Set.of();

  private static RedisClusterStatus status(Phase phase, List<String> unreachable, String... ready) {
    RedisClusterStatus status = new RedisClusterStatus();
    status.setPhase(phase);
    status.setCurrentPrimary("c-0");
    Map<String, InstanceStatusEntry> entries = new TreeMap<>();
    for (String pod : List.of("c-0", "c-1", "c-2")) {
      InstanceStatusEntry entry = new InstanceStatusEntry();
      entry.setReady(List.of(ready).contains(pod));
      entries.put(pod, entry);
    }
    status.setInstancesStatus(entries);
    status.setReadyInstances(ready.length);
    status.setUnreachableInstances(unreachable);
    return status;
  }

  private static StatusWriteGate writtenAt(Instant at) {
    StatusWriteGate gate = new StatusWriteGate(START);
    gate.written(at);
    return gate;
  }

  private static Pod pod(String name, String ip) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of(Labels.WORKLOAD, Labels.WORKLOAD_DATA))
        .endMetadata()
        .withNewStatus()
        .withPodIP(ip)
        .endStatus()
        .build();
  }

  private static PodReport answer(String pod) {
    return new PodReport(pod, "10.0.0.1", null, SOON, 0, PollFailure.NONE, SOON);
  }

  /** A first poll that failed: nothing answered yet. */
  private static PodReport failed(String pod, PollFailure failure) {
    return new PodReport(pod, "10.0.0.1", null, null, 1, failure, SOON, SOON, 0);
  }

  private final List<Pod> pods =
      List.of(pod("c-0", "10.0.0.1"), pod("c-1", "10.0.0.2"), pod("c-2", "10.0.0.3"));
  private final RedisClusterStatus healthy = status(Phase.HEALTHY, List.of(), "c-0", "c-1", "c-2");

  /** What a restarted actor builds before c-1 and c-2 answered: they look down. */
  private final RedisClusterStatus fromMissingReports = status(Phase.DEGRADED, List.of(), "c-0");

  private When afterRestart(
      Set<String> heardFrom, RedisClusterStatus desired, boolean decision, Instant now) {
    return new StatusWriteGate(START)
        .decide(
            healthy,
            desired,
            decision,
            StatusWriteGate.notYetReported(pods, heardFrom, healthy),
            now)
        .when();
  }

  // First reports.

  @Test
  void aStatusBuiltBeforeEveryRecordedPodReportedIsHeld() {
    assertEquals(When.NONE, afterRestart(Set.of("c-0"), fromMissingReports, false, SOON));
  }

  @Test
  void onceEveryPodReportedTheWriteGoes() {
    assertEquals(
        When.NOW, afterRestart(Set.of("c-0", "c-1", "c-2"), fromMissingReports, false, SOON));
  }

  @Test
  void aDecisionOrAnUnreachableRecordIsNeverHeld() {
    assertEquals(When.NOW, afterRestart(Set.of(), fromMissingReports, true, SOON), "a decision");
    assertEquals(
        When.NOW,
        afterRestart(
            Set.of(), status(Phase.HEALTHY, List.of("c-0"), "c-0", "c-1", "c-2"), false, SOON),
        "the primary recorded unreachable: the promotion gate counts from it");
  }

  @Test
  void aPodTheStatusDoesNotListOrWithoutAddressIsNotAwaited() {
    RedisClusterStatus twoPods = status(Phase.HEALTHY, List.of(), "c-0", "c-1");
    twoPods.getInstancesStatus().remove("c-2");
    assertEquals(
        Set.of(),
        StatusWriteGate.notYetReported(
            List.of(pod("c-0", "10.0.0.1"), pod("c-1", "10.0.0.2"), pod("c-2", "10.0.0.3")),
            Set.of("c-0", "c-1"),
            twoPods),
        "a new pod (scale-up) is no restart");
    assertEquals(
        Set.of(),
        StatusWriteGate.notYetReported(
            List.of(pod("c-0", "10.0.0.1"), pod("c-1", null), pod("c-2", null)),
            Set.of("c-0"),
            healthy),
        "a pod without an address is not polled");
    assertEquals(
        Set.of(),
        StatusWriteGate.notYetReported(pods, Set.of(), null),
        "a cluster with no status yet");
    assertEquals(
        Set.of("c-1", "c-2"), StatusWriteGate.notYetReported(pods, Set.of("c-0"), healthy));
  }

  @Test
  void aNewClustersPodsFirstAnswersArePacedThoughItsStatusListsNoneYet() {
    RedisClusterStatus creating = new RedisClusterStatus();
    creating.setPhase(Phase.CREATING);
    creating.setCurrentPrimary("c-0");
    List<Pod> created = List.of(pod("c-0", "10.0.0.1"), pod("c-1", "10.0.0.2"), pod("c-2", null));
    assertEquals(
        Set.of("c-1"),
        StatusWriteGate.firstContactPending(created, Set.of("c-0"), creating),
        "every pod with an address not heard from, listed or not");
    assertEquals(
        Set.of(), StatusWriteGate.notYetReported(created, Set.of("c-0"), creating), "no restart");
    assertEquals(
        StatusWriteGate.notYetReported(pods, Set.of("c-0"), healthy),
        StatusWriteGate.firstContactPending(pods, Set.of("c-0"), healthy),
        "past creation only a restart's first contact is paced");
  }

  @Test
  void nothingIsHeldLongerThanTheBound() {
    assertEquals(
        When.NOW,
        afterRestart(Set.of(), fromMissingReports, false, START.plus(StatusWriteGate.MAX_HOLD)));
  }

  @Test
  void aTimedOutOrOverdueFirstPollIsNoReport() {
    // On a controller busy with its first contacts the answer may only be late: the status it
    // would write (the pod's role unknown, not ready) flips back when the answer arrives.
    assertFalse(StatusWriteGate.heardFrom(failed("c-1", PollFailure.TIMEOUT)), "timed out");
    assertFalse(
        StatusWriteGate.heardFrom(
            new PodReport("c-1", "10.0.0.1", null, null, 0, PollFailure.NONE, SOON, SOON, 0)),
        "overdue");
    assertFalse(StatusWriteGate.heardFrom(null), "nothing yet");
  }

  @Test
  void anAnswerARefusedConnectionOrAnErrorAnswerIsAReport() {
    assertTrue(StatusWriteGate.heardFrom(answer("c-1")), "an answer");
    assertTrue(StatusWriteGate.heardFrom(failed("c-1", PollFailure.CONNECTION_REFUSED)), "refused");
    assertTrue(StatusWriteGate.heardFrom(failed("c-1", PollFailure.HTTP_ERROR)), "an error status");
    assertTrue(
        StatusWriteGate.heardFrom(
            new PodReport("c-1", "10.0.0.1", null, SOON, 2, PollFailure.TIMEOUT, SOON, SOON, 0)),
        "timeouts after an answer");
  }

  // Start-up spacing.

  @Test
  void aCreatingClustersStepsWaitForTheHoldAndThenGoTogether() {
    StatusWriteGate gate = writtenAt(START);
    RedisClusterStatus recorded = status(Phase.CREATING, List.of(), "c-0");
    StatusWriteGate.Verdict first =
        gate.decide(
            recorded, status(Phase.CREATING, List.of(), "c-0", "c-1"), false, NONE_AWAITED, SOON);
    assertEquals(When.LATER, first.when());
    assertEquals(
        SOON.plus(StatusWriteGate.START_UP_HOLD), first.at(), "due one hold after first held");
    assertEquals(
        When.NOW,
        gate.decide(
                recorded,
                status(Phase.CREATING, List.of(), "c-0", "c-1", "c-2"),
                false,
                NONE_AWAITED,
                first.at())
            .when(),
        "at the due time the pass writes everything that changed meanwhile");
  }

  /** {@code base} with c-1's pod given an address: progress, nothing anyone reads. */
  private static RedisClusterStatus addressed(RedisClusterStatus base) {
    base.getInstancesStatus().get("c-1").setPodIP("10.0.0.2");
    base.setPhaseReason("creating replica c-1");
    return base;
  }

  @Test
  void aCreatingClustersProgressAloneWaitsForTheHold() {
    StatusWriteGate gate = writtenAt(START);
    RedisClusterStatus recorded = status(Phase.CREATING, List.of(), "c-0");
    Instant seen = DUE.plusSeconds(10);
    StatusWriteGate.Verdict first =
        gate.decide(
            recorded,
            addressed(status(Phase.CREATING, List.of(), "c-0")),
            false,
            NONE_AWAITED,
            seen);
    assertEquals(When.LATER, first.when(), "past the spacing, and still held");
    assertEquals(seen.plus(StatusWriteGate.START_UP_HOLD), first.at());
    assertEquals(
        first.at(),
        gate.decide(
                recorded,
                addressed(status(Phase.CREATING, List.of(), "c-0")),
                false,
                NONE_AWAITED,
                seen.plusSeconds(20))
            .at(),
        "counted from the first pass that held it, not from each pass");
    assertEquals(
        When.NOW,
        gate.decide(
                recorded,
                addressed(status(Phase.CREATING, List.of(), "c-0")),
                false,
                NONE_AWAITED,
                first.at())
            .when(),
        "a cluster stuck in Creating shows its progress at most the hold late");
  }

  @Test
  void aCreatingClustersUnreachableRecordWaitsOnlyForTheSpacingAndCarriesTheProgress() {
    StatusWriteGate gate = writtenAt(START);
    RedisClusterStatus recorded = status(Phase.CREATING, List.of(), "c-0");
    gate.decide(
        recorded, addressed(status(Phase.CREATING, List.of(), "c-0")), false, NONE_AWAITED, SOON);
    StatusWriteGate.Verdict unreachable =
        gate.decide(
            recorded,
            addressed(status(Phase.CREATING, List.of("c-0"), "c-0")),
            false,
            NONE_AWAITED,
            SOON);
    assertEquals(When.LATER, unreachable.when());
    assertEquals(DUE, unreachable.at(), "the promotion gate counts from this record");
    assertEquals(
        When.NOW,
        gate.decide(
                recorded,
                addressed(status(Phase.CREATING, List.of("c-0"), "c-0")),
                false,
                NONE_AWAITED,
                DUE)
            .when());
  }

  @Test
  void afterAWriteTheHoldStartsAgain() {
    StatusWriteGate gate = writtenAt(START);
    RedisClusterStatus recorded = status(Phase.CREATING, List.of(), "c-0");
    gate.decide(
        recorded, addressed(status(Phase.CREATING, List.of(), "c-0")), false, NONE_AWAITED, SOON);
    Instant written = DUE.plusSeconds(60);
    gate.written(written);
    Instant next = written.plus(StatusWriteGate.START_UP_SPACING);
    RedisClusterStatus now = addressed(status(Phase.CREATING, List.of(), "c-0"));
    RedisClusterStatus moved = addressed(status(Phase.CREATING, List.of(), "c-0"));
    moved.getInstancesStatus().get("c-2").setPodIP("10.0.0.3");
    assertEquals(
        next.plus(StatusWriteGate.START_UP_HOLD),
        gate.decide(now, moved, false, NONE_AWAITED, next).at());
  }

  @Test
  void theCreatingClustersFirstWriteByThisActorGoesAtOnce() {
    assertEquals(
        When.NOW,
        new StatusWriteGate(START)
            .decide(
                status(Phase.CREATING, List.of()),
                status(Phase.CREATING, List.of(), "c-0"),
                false,
                NONE_AWAITED,
                SOON)
            .when());
  }

  @Test
  void thePhaseSettlingIsWrittenAtOnce() {
    assertEquals(
        When.NOW,
        writtenAt(START)
            .decide(
                status(Phase.CREATING, List.of(), "c-0", "c-1"),
                status(Phase.HEALTHY, List.of(), "c-0", "c-1", "c-2"),
                false,
                NONE_AWAITED,
                SOON)
            .when());
  }

  @Test
  void aDecisionIsWrittenAtOnceEvenWhileCreating() {
    RedisClusterStatus recorded = status(Phase.CREATING, List.of(), "c-0");
    assertEquals(
        When.NOW, writtenAt(START).decide(recorded, recorded, true, NONE_AWAITED, SOON).when());
  }

  @Test
  void aHealthyClustersUnreachableRecordIsNeverDelayed() {
    StatusWriteGate gate = writtenAt(START);
    RedisClusterStatus unreachable = status(Phase.HEALTHY, List.of("c-0"), "c-0", "c-1", "c-2");
    assertEquals(
        When.NOW, gate.decide(healthy, unreachable, false, NONE_AWAITED, SOON).when(), "recorded");
    assertEquals(
        When.NOW, gate.decide(unreachable, healthy, false, NONE_AWAITED, SOON).when(), "removed");
  }

  @Test
  void aDegradedClustersChangesAreNotPaced() {
    assertEquals(
        When.NOW,
        writtenAt(START)
            .decide(
                status(Phase.DEGRADED, List.of(), "c-0"),
                status(Phase.DEGRADED, List.of(), "c-0", "c-1"),
                false,
                NONE_AWAITED,
                SOON)
            .when());
  }

  @Test
  void nothingMaterialIsNotWritten() {
    RedisClusterStatus recorded = status(Phase.CREATING, List.of(), "c-0");
    RedisClusterStatus moved = status(Phase.CREATING, List.of(), "c-0");
    moved.getInstancesStatus().get("c-0").setReplicationOffset(42L);
    assertEquals(
        When.NONE, writtenAt(START).decide(recorded, moved, false, NONE_AWAITED, DUE).when());
  }
}
