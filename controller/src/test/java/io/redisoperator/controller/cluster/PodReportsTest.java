package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodReportsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  static InstanceStatus status(InstanceRole role, long offset, boolean fenced) {
    return InstanceStatus.builder("c-1")
        .role(role)
        .redisUp(true)
        .redisVersion("7.2.4")
        .masterReplId("replid")
        .replicationOffset(offset)
        .masterLastIoSecondsAgo(-1L)
        .connectedReplicas(List.of())
        .fenced(fenced)
        .configHash("h")
        .secretVersions(Map.of())
        .agentUptimeSeconds(10)
        .build();
  }

  static PodReport report(String ip, InstanceStatus status, Instant requestedAt) {
    return new PodReport("c-1", ip, status, requestedAt, 0, PollFailure.NONE, requestedAt);
  }

  private static PodReport podReport(String pod, String ip, InstanceStatus status, Instant at) {
    return new PodReport(pod, ip, status, at, 0, PollFailure.NONE, at);
  }

  private static InstanceStatus primaryWith(String... replicaIps) {
    return status(InstanceRole.PRIMARY, 10, false).toBuilder()
        .connectedReplicas(
            java.util.Arrays.stream(replicaIps)
                .map(
                    ip -> new io.redisoperator.protocol.agent.ReplicaInfo(ip, 6379, "online", 5, 0))
                .toList())
        .build();
  }

  /** Takes a report for a cluster with the default threshold (3 failed polls). */
  private static boolean take(PodReports reports, PodReport report) {
    return reports.take(report, 3);
  }

  @Test
  void failedPollsPastTheThresholdAskForNoPass() {
    PodReports reports = new PodReports();
    take(reports, report("10.0.0.2", status(InstanceRole.PRIMARY, 10, false), T0));
    for (int failures = 1; failures <= 3; failures++) {
      assertTrue(
          reports.take(
              new PodReport("c-1", "10.0.0.2", null, T0, failures, PollFailure.TIMEOUT, T0, T0, 0),
              3),
          "failed poll " + failures + " of 3 can change a decision");
    }
    assertFalse(
        reports.take(
            new PodReport("c-1", "10.0.0.2", null, T0, 4, PollFailure.TIMEOUT, T0, T0, 0), 3),
        "a fourth changes nothing the threshold does not already say");
    assertEquals(4, reports.all().get("c-1").consecutiveFailures(), "it is still taken");
    assertTrue(
        reports.take(
            new PodReport(
                "c-1", "10.0.0.2", null, T0, 5, PollFailure.CONNECTION_REFUSED, T0, T0, 0),
            3),
        "a refusal is still news");
  }

  @Test
  void aPrimaryWhoseReplicasChangedHasTheOtherPodsPolledAtOnce() {
    PodReports reports = new PodReports();
    take(reports, podReport("c-0", "10.0.0.1", primaryWith("10.0.0.2", "10.0.0.3"), T0));
    take(reports, podReport("c-1", "10.0.0.2", status(InstanceRole.REPLICA, 5, false), T0));
    take(reports, podReport("c-2", "10.0.0.3", status(InstanceRole.REPLICA, 5, false), T0));

    PodReport same = podReport("c-0", "10.0.0.1", primaryWith("10.0.0.3", "10.0.0.2"), T0);
    assertEquals(List.of(), reports.recheckAfter(same), "the same replicas in another order");
    PodReport lost = podReport("c-0", "10.0.0.1", primaryWith("10.0.0.3"), T0.plusSeconds(1));
    assertEquals(List.of("c-1", "c-2"), reports.recheckAfter(lost));
    take(reports, lost);
    PodReport back =
        podReport("c-0", "10.0.0.1", primaryWith("10.0.0.3", "10.0.0.2"), T0.plusSeconds(2));
    assertEquals(List.of("c-1", "c-2"), reports.recheckAfter(back), "a replica back is news too");
    assertEquals(
        List.of(),
        reports.recheckAfter(
            podReport("c-1", "10.0.0.2", status(InstanceRole.REPLICA, 9, false), T0)),
        "only a primary's answer tells of its replicas");
    assertEquals(
        List.of(),
        reports.recheckAfter(podReport("c-0", "10.0.0.9", primaryWith(), T0.plusSeconds(3))),
        "a new address is a new incarnation, not a change");
  }

  @Test
  void aPodHeardFromOnceStaysHeardFromThroughANewIncarnationsTimeouts() {
    PodReports reports = new PodReports();
    take(reports, new PodReport("c-1", "10.0.0.2", null, null, 1, PollFailure.TIMEOUT, T0, T0, 0));
    assertTrue(reports.heardFrom().isEmpty(), "a timed-out first poll is no first report");
    take(reports, report("10.0.0.2", status(InstanceRole.REPLICA, 10, false), T0.plusSeconds(1)));
    take(
        reports,
        new PodReport(
            "c-1", "10.0.0.3", null, null, 1, PollFailure.TIMEOUT, T0.plusSeconds(2), T0, 0));
    assertEquals(java.util.Set.of("c-1"), reports.heardFrom());
  }

  @Test
  void aReportThatChangesOnlyOffsetsAndTimesIsTakenButNotMaterial() {
    PodReports reports = new PodReports();
    assertTrue(take(reports, report("10.0.0.2", status(InstanceRole.PRIMARY, 10, false), T0)));
    assertFalse(
        take(
            reports,
            report("10.0.0.2", status(InstanceRole.PRIMARY, 99, false), T0.plusSeconds(1))));
    assertEquals(99L, reports.all().get("c-1").status().replicationOffset());
    assertTrue(
        take(
            reports,
            report("10.0.0.2", status(InstanceRole.PRIMARY, 99, true), T0.plusSeconds(2))));
  }

  @Test
  void aReplicasLinkGoingStaleIsMaterialItsAgeWithinTheFreshSecondIsNot() {
    PodReports reports = new PodReports();
    take(reports, report("10.0.0.2", replicaWithLinkAge(0), T0));
    assertFalse(take(reports, report("10.0.0.2", replicaWithLinkAge(1), T0.plusSeconds(1))));
    assertTrue(
        take(reports, report("10.0.0.2", replicaWithLinkAge(2), T0.plusSeconds(2))),
        "it no longer vouches for a silent primary: the pass that fails over runs now");
  }

  private static InstanceStatus replicaWithLinkAge(long seconds) {
    return status(InstanceRole.REPLICA, 10, false).toBuilder()
        .masterLinkUp(true)
        .masterLastIoSecondsAgo(seconds)
        .build();
  }

  @Test
  void aReportAskedBeforeAnAppliedAnswerIsIgnoredUnlessTheAddressChanged() {
    PodReports reports = new PodReports();
    take(reports, report("10.0.0.2", status(InstanceRole.REPLICA, 10, false), T0));
    reports.refresh("c-1", status(InstanceRole.PRIMARY, 10, false), T0.plusSeconds(5));
    assertFalse(
        take(
            reports,
            report("10.0.0.2", status(InstanceRole.REPLICA, 10, false), T0.plusSeconds(4))));
    assertEquals(InstanceRole.PRIMARY, reports.all().get("c-1").status().role());
    assertTrue(
        take(
            reports,
            report("10.0.0.9", status(InstanceRole.REPLICA, 10, false), T0.plusSeconds(4))));
  }

  @Test
  void refreshNeedsAPreviousReportAndForgettingKeepsTheLastSighting() {
    PodReports reports = new PodReports();
    reports.refresh("c-1", status(InstanceRole.PRIMARY, 10, false), T0);
    assertTrue(reports.all().isEmpty());
    take(reports, report("10.0.0.2", status(InstanceRole.PRIMARY, 10, false), T0));
    reports.forgetStatus("c-1", T0.plusSeconds(3));
    PodReport forgotten = reports.all().get("c-1");
    assertNull(forgotten.status());
    assertEquals(T0, forgotten.lastSeen());
    assertEquals("10.0.0.2", forgotten.podIP());
  }
}
