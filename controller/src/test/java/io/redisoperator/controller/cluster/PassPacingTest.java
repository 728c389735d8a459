package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassPacingTest {
  private static final Instant START = Instant.parse("2026-12-05T12:00:00Z");
  private static final String PRIMARY = "c-0";

  private static InstanceStatus status(InstanceRole role, boolean redisUp) {
    return InstanceStatus.builder("x")
        .role(role)
        .redisUp(redisUp)
        .redisVersion("7.2.4")
        .masterReplId("replid")
        .replicationOffset(10L)
        .masterLastIoSecondsAgo(0L)
        .connectedReplicas(List.of())
        .fenced(false)
        .configHash("h")
        .secretVersions(Map.of())
        .agentUptimeSeconds(10)
        .build();
  }

  private static PodReport answer(String pod, InstanceRole role, Instant at) {
    return new PodReport(pod, "10.0.0.1", status(role, true), at, 0, PollFailure.NONE, at);
  }

  private static PodReport failed(String pod, Instant at) {
    return new PodReport(pod, "10.0.0.1", null, null, 1, PollFailure.TIMEOUT, at, at, 0);
  }

  /**
   * A first pass before any of the three pods has reported, with the window of a cluster being
   * created (a resumed cluster's is longer: {@link
   * #aResumedClusterPacesItsFirstAnswersFiveSecondsApart}).
   */
  private static PassPacing afterFirstPass(Instant at) {
    PassPacing pacing = new PassPacing(START);
    pacing.started(at, Set.of("c-0", "c-1", "c-2"), List.of(), false);
    return pacing;
  }

  /**
   * A restarted controller's first contact: its paced passes could write nothing and would find
   * what the first pass found, so they wait five seconds; the answer completing the first contact,
   * and a primary in doubt, still run theirs at once.
   */
  @Test
  void aResumedClusterPacesItsFirstAnswersFiveSecondsApart() {
    PassPacing pacing = new PassPacing(START);
    pacing.started(START, Set.of("c-0", "c-1", "c-2"), List.of(), true);
    Instant t = START.plusMillis(200);
    PodReport primary = answer(PRIMARY, InstanceRole.PRIMARY, t);
    assertEquals(Duration.ofMillis(4800), pacing.delay(primary, primary, PRIMARY, t));
    assertEquals(
        Duration.ofMillis(4700),
        pacing.delay(
            answer("c-1", InstanceRole.REPLICA, t.plusMillis(100)),
            primary,
            PRIMARY,
            t.plusMillis(100)));
    assertEquals(
        Duration.ZERO,
        pacing.delay(failed(PRIMARY, t.plusMillis(150)), primary, PRIMARY, t.plusMillis(150)),
        "a primary in doubt is never paced");
    assertEquals(
        Duration.ZERO,
        pacing.delay(
            answer("c-2", InstanceRole.REPLICA, t.plusMillis(200)),
            primary,
            PRIMARY,
            t.plusMillis(200)),
        "the last first answer completes the first contact");
  }

  @Test
  void firstAnswersThatShowNothingWrongWaitForTheWindowAndTheLastRunsAtOnce() {
    Instant t = START.plusMillis(200);
    PassPacing pacing = afterFirstPass(START);
    PodReport primary = answer(PRIMARY, InstanceRole.PRIMARY, t);
    assertEquals(Duration.ofMillis(800), pacing.delay(primary, primary, PRIMARY, t));
    assertEquals(
        Duration.ofMillis(700),
        pacing.delay(
            answer("c-1", InstanceRole.REPLICA, t.plusMillis(100)),
            primary,
            PRIMARY,
            t.plusMillis(100)),
        "folded into the same pass");
    assertEquals(
        Duration.ZERO,
        pacing.delay(
            answer("c-2", InstanceRole.REPLICA, t.plusMillis(150)),
            primary,
            PRIMARY,
            t.plusMillis(150)),
        "the report that completes the first contact runs its pass: the status may be written");
    assertEquals(
        Duration.ZERO,
        pacing.delay(
            answer("c-1", InstanceRole.REPLICA, t.plusMillis(160)),
            primary,
            PRIMARY,
            t.plusMillis(160)),
        "after the first contact nothing is paced");
  }

  @Test
  void aTimedOutFirstPollDoesNotCompleteTheFirstContact() {
    Instant t = START.plusMillis(200);
    PassPacing pacing = new PassPacing(START);
    pacing.started(START, Set.of("c-2"), List.of(), false);
    PodReport primary = answer(PRIMARY, InstanceRole.PRIMARY, t);
    assertEquals(
        Duration.ofMillis(800),
        pacing.delay(failed("c-2", t), primary, PRIMARY, t),
        "the status waits for its answer: no pass of its own");
    assertEquals(
        Duration.ZERO,
        pacing.delay(
            answer("c-2", InstanceRole.REPLICA, t.plusMillis(100)),
            primary,
            PRIMARY,
            t.plusMillis(100)),
        "its answer completes the first contact");
  }

  @Test
  void aPassedWindowRunsThePassAtOnce() {
    PassPacing pacing = afterFirstPass(START);
    Instant later = START.plus(PassPacing.WINDOW).plusMillis(1);
    PodReport primary = answer(PRIMARY, InstanceRole.PRIMARY, later);
    assertEquals(Duration.ZERO, pacing.delay(primary, primary, PRIMARY, later));
    assertEquals(Duration.ZERO, pacing.pacedDelay(later));
  }

  @Test
  void aFailingOrOverduePrimaryIsNeverPacedNorAreItsReplicasMeanwhile() {
    Instant t = START.plusMillis(100);
    PassPacing pacing = afterFirstPass(START);
    PodReport primaryFailed = failed(PRIMARY, t);
    assertEquals(Duration.ZERO, pacing.delay(primaryFailed, primaryFailed, PRIMARY, t));
    assertEquals(
        Duration.ZERO,
        pacing.delay(answer("c-1", InstanceRole.REPLICA, t), primaryFailed, PRIMARY, t),
        "what a replica says of a silent primary is failover evidence");

    PassPacing again = afterFirstPass(START);
    PodReport overdue =
        new PodReport(
            PRIMARY,
            "10.0.0.1",
            status(InstanceRole.PRIMARY, true),
            START,
            0,
            PollFailure.NONE,
            t,
            t,
            0);
    assertEquals(Duration.ZERO, again.delay(overdue, overdue, PRIMARY, t), "unanswered");
    PodReport redisDown =
        new PodReport(
            PRIMARY, "10.0.0.1", status(InstanceRole.PRIMARY, false), t, 0, PollFailure.NONE, t);
    assertEquals(Duration.ZERO, afterFirstPass(START).delay(redisDown, redisDown, PRIMARY, t));
    PodReport demoted = answer(PRIMARY, InstanceRole.REPLICA, t);
    assertEquals(Duration.ZERO, afterFirstPass(START).delay(demoted, demoted, PRIMARY, t));
  }

  @Test
  void anotherPodAnsweringAsPrimaryOrAnAwaitedAnswerIsNeverPaced() {
    Instant t = START.plusMillis(100);
    PodReport primary = answer(PRIMARY, InstanceRole.PRIMARY, t);
    assertEquals(
        Duration.ZERO,
        afterFirstPass(START).delay(answer("c-1", InstanceRole.PRIMARY, t), primary, PRIMARY, t),
        "two primaries");
    PassPacing pacing = new PassPacing(START);
    pacing.started(START, Set.of("c-0", "c-1", "c-2"), List.of("c-2"), false);
    assertEquals(
        Duration.ZERO,
        pacing.delay(answer("c-2", InstanceRole.REPLICA, t), primary, PRIMARY, t),
        "a decision waits for it");
  }

  @Test
  void nothingIsPacedOutsideTheFirstContactOrLongAfterTheStart() {
    Instant t = START.plusMillis(100);
    PodReport primary = answer(PRIMARY, InstanceRole.PRIMARY, t);
    PassPacing steady = new PassPacing(START);
    steady.started(START, Set.of(), List.of(), false);
    assertEquals(
        Duration.ZERO, steady.delay(answer("c-1", InstanceRole.REPLICA, t), primary, PRIMARY, t));

    Instant late = START.plus(StatusWriteGate.MAX_HOLD);
    PassPacing stuck = new PassPacing(START);
    stuck.started(late.minusMillis(100), Set.of("c-0", "c-1", "c-2"), List.of(), false);
    assertEquals(
        Duration.ZERO,
        stuck.delay(answer("c-1", InstanceRole.REPLICA, late), primary, PRIMARY, late),
        "a pod that never reports does not pace the cluster for good");
  }
}
