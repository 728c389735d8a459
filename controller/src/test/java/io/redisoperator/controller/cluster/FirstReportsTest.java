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
            pods,
            Map.of("c-0", report("c-0")),
            recorded,
            recorded(List.of(), "c-0", "c-1"),
            false,
            START,
            NOW));
  }

  @Test
  void onceEveryPodReportedTheWriteGoes() {
    assertFalse(
        FirstReports.holdsWrite(
            pods,
            Map.of("c-0", report("c-0"), "c-1", report("c-1")),
            recorded,
            recorded(List.of(), "c-0", "c-1"),
            false,
            START,
            NOW));
  }

  @Test
  void aTimedOutFirstPollIsNoReport() {
    // On a controller busy with its first contacts the answer may only be late: the status it
    // would write (the pod's role unknown, not ready) flips back when the answer arrives.
    assertTrue(
        FirstReports.holdsWrite(
            pods,
            Map.of("c-0", report("c-0"), "c-1", failed("c-1", PollFailure.TIMEOUT)),
            recorded,
            recorded(List.of(), "c-0", "c-1"),
            false,
            START,
            NOW));
  }

  @Test
  void aRefusedConnectionOrAnErrorAnswerIsAReport() {
    for (PollFailure definite : List.of(PollFailure.CONNECTION_REFUSED, PollFailure.HTTP_ERROR)) {
      assertFalse(
          FirstReports.holdsWrite(
              pods,
              Map.of("c-0", report("c-0"), "c-1", failed("c-1", definite)),
              recorded,
              recorded(List.of(), "c-0", "c-1"),
              false,
              START,
              NOW),
          definite.name());
    }
  }

  @Test
  void aDecisionOrAnUnreachableRecordIsNeverHeld() {
    assertFalse(
        FirstReports.holdsWrite(pods, Map.of(), recorded, recorded, true, START, NOW),
        "a decision");
    assertFalse(
        FirstReports.holdsWrite(
            pods, Map.of(), recorded, recorded(List.of("c-0"), "c-0", "c-1"), false, START, NOW),
        "the primary recorded unreachable: the promotion gate counts from it");
  }

  @Test
  void aPodTheStatusDoesNotListOrWithoutAddressIsNotAwaited() {
    assertFalse(
        FirstReports.holdsWrite(
            List.of(pod("c-0", "10.0.0.1"), pod("c-2", "10.0.0.3")),
            Map.of("c-0", report("c-0")),
            recorded,
            recorded,
            false,
            START,
            NOW),
        "a new pod (scale-up) is no restart");
    assertFalse(
        FirstReports.holdsWrite(
            List.of(pod("c-0", "10.0.0.1"), pod("c-1", null)),
            Map.of("c-0", report("c-0")),
            recorded,
            recorded,
            false,
            START,
            NOW),
        "a pod without an address is not polled");
    assertFalse(
        FirstReports.holdsWrite(pods, Map.of(), null, recorded, false, START, NOW),
        "a cluster with no status yet");
  }

  @Test
  void nothingIsHeldLongerThanTheBound() {
    assertFalse(
        FirstReports.holdsWrite(
            pods, Map.of(), recorded, recorded, false, START, START.plus(FirstReports.MAX_HOLD)));
  }
}
