package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FirstReportsTest {
  private static final Instant START = Instant.parse("2026-12-05T12:00:00Z");
  private static final Instant NOW = START.plusSeconds(20);

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

  private static RedisClusterStatus recorded(List<String> unreachable, String... pods) {
    RedisClusterStatus status = new RedisClusterStatus();
    Map<String, InstanceStatusEntry> entries = new TreeMap<>();
    for (String pod : pods) {
      entries.put(pod, new InstanceStatusEntry());
    }
    status.setInstancesStatus(entries);
    status.setUnreachableInstances(unreachable);
    return status;
  }

  private static PodReport report(String pod) {
    return new PodReport(pod, "10.0.0.1", null, NOW, 0, PollFailure.NONE, NOW);
  }

  /** A first poll that failed: nothing answered yet. */
  private static PodReport failed(String pod, PollFailure failure) {
    return new PodReport(pod, "10.0.0.1", null, null, 1, failure, NOW, NOW, 0);
  }

  private final List<Pod> pods = List.of(pod("c-0", "10.0.0.1"), pod("c-1", "10.0.0.2"));
  private final RedisClusterStatus recorded = recorded(List.of(), "c-0", "c-1");

  @Test
  void aStatusBuiltBeforeEveryRecordedPodReportedIsHeld() {
    assertTrue(
        FirstReports.holdsWrite(
            pods, Set.of("c-0"), recorded, recorded(List.of(), "c-0", "c-1"), false, START, NOW));
  }

  @Test
  void onceEveryPodReportedTheWriteGoes() {
    assertFalse(
        FirstReports.holdsWrite(
            pods,
            Set.of("c-0", "c-1"),
            recorded,
            recorded(List.of(), "c-0", "c-1"),
            false,
            START,
            NOW));
  }

  @Test
  void aTimedOutOrOverdueFirstPollIsNoReport() {
    // On a controller busy with its first contacts the answer may only be late: the status it
    // would write (the pod's role unknown, not ready) flips back when the answer arrives.
    assertFalse(FirstReports.heardFrom(failed("c-1", PollFailure.TIMEOUT)), "timed out");
    assertFalse(
        FirstReports.heardFrom(
            new PodReport("c-1", "10.0.0.1", null, null, 0, PollFailure.NONE, NOW, NOW, 0)),
        "overdue");
    assertFalse(FirstReports.heardFrom(null), "nothing yet");
  }

  @Test
  void anAnswerARefusedConnectionOrAnErrorAnswerIsAReport() {
    assertTrue(FirstReports.heardFrom(report("c-1")), "an answer");
    assertTrue(FirstReports.heardFrom(failed("c-1", PollFailure.CONNECTION_REFUSED)), "refused");
    assertTrue(FirstReports.heardFrom(failed("c-1", PollFailure.HTTP_ERROR)), "an error status");
    assertTrue(
        FirstReports.heardFrom(
            new PodReport("c-1", "10.0.0.1", null, NOW, 2, PollFailure.TIMEOUT, NOW, NOW, 0)),
        "timeouts after an answer");
  }

  @Test
  void aDecisionOrAnUnreachableRecordIsNeverHeld() {
    assertFalse(
        FirstReports.holdsWrite(pods, Set.of(), recorded, recorded, true, START, NOW),
        "a decision");
    assertFalse(
        FirstReports.holdsWrite(
            pods, Set.of(), recorded, recorded(List.of("c-0"), "c-0", "c-1"), false, START, NOW),
        "the primary recorded unreachable: the promotion gate counts from it");
  }

  @Test
  void aPodTheStatusDoesNotListOrWithoutAddressIsNotAwaited() {
    assertFalse(
        FirstReports.holdsWrite(
            List.of(pod("c-0", "10.0.0.1"), pod("c-2", "10.0.0.3")),
            Set.of("c-0"),
            recorded,
            recorded,
            false,
            START,
            NOW),
        "a new pod (scale-up) is no restart");
    assertFalse(
        FirstReports.holdsWrite(
            List.of(pod("c-0", "10.0.0.1"), pod("c-1", null)),
            Set.of("c-0"),
            recorded,
            recorded,
            false,
            START,
            NOW),
        "a pod without an address is not polled");
    assertFalse(
        FirstReports.holdsWrite(pods, Set.of(), null, recorded, false, START, NOW),
        "a cluster with no status yet");
  }

  @Test
  void nothingIsHeldLongerThanTheBound() {
    assertFalse(
        FirstReports.holdsWrite(
            pods, Set.of(), recorded, recorded, false, START, START.plus(FirstReports.MAX_HOLD)));
  }
}
