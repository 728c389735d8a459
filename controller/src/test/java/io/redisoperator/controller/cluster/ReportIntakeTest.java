package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.ReplicaInfo;
import io.redisoperator.protocol.crd.FailoverSpec;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.RedisCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportIntakeTest {
  private static final Instant START = Instant.parse("2026-12-06T05:00:00Z");

  private final PodReports reports = new PodReports();
  private final PassPacing pacing = new PassPacing(START);
  private final ReportIntake intake = new ReportIntake(reports, pacing);

  private static PodReport answer(String pod, InstanceStatus status, Instant at) {
    return new PodReport(pod, "10.0.0." + pod.charAt(2), status, at, 0, PollFailure.NONE, at);
  }

  private static PodReport failed(String pod, int failures, Instant at) {
    return new PodReport(
        pod, "10.0.0." + pod.charAt(2), null, null, failures, PollFailure.TIMEOUT, at, at, 0);
  }

  private static InstanceStatus primaryWith(String... replicaIps) {
    return PodReportsTest.status(InstanceRole.PRIMARY, 10, false).toBuilder()
        .connectedReplicas(
            java.util.Arrays.stream(replicaIps)
                .map(ip -> new ReplicaInfo(ip, 6379, "online", 5, 0))
                .toList())
        .build();
  }

  @Test
  void aReportThatChangesADecisionRunsAPassAtOnceAndOneThatDoesNotRunsNone() {
    RedisCluster cluster = PollersTest.cluster(3, "c-0");
    PodReport first = answer("c-1", PodReportsTest.status(InstanceRole.REPLICA, 10, false), START);
    ReportIntake.Verdict taken = intake.take(first, cluster, START);
    assertEquals(Optional.of(Duration.ZERO), taken.passIn());
    assertEquals(" (material)", taken.note());
    PodReport offsetOnly =
        answer("c-1", PodReportsTest.status(InstanceRole.REPLICA, 20, false), START.plusSeconds(1));
    ReportIntake.Verdict unchanged = intake.take(offsetOnly, cluster, START.plusSeconds(1));
    assertEquals(Optional.empty(), unchanged.passIn(), "an offset alone changes no decision");
    assertEquals("", unchanged.note());
    ReportIntake.Verdict older = intake.take(first, cluster, START.plusSeconds(2));
    assertEquals(Optional.empty(), older.passIn());
    assertEquals(" (outdated: dropped)", older.note());
    assertEquals(
        20L, reports.all().get("c-1").status().replicationOffset(), "the newer report stays");
  }

  @Test
  void failedPollsCountOnlyUpToTheClustersThreshold() {
    RedisCluster strict = PollersTest.cluster(3, "c-0");
    FailoverSpec failover = new FailoverSpec();
    failover.setFailureThreshold(1);
    strict.getSpec().setFailover(failover);
    assertEquals(1, ReportIntake.failureThreshold(strict));
    assertEquals(
        FailoverSpec.DEFAULT_FAILURE_THRESHOLD,
        ReportIntake.failureThreshold(PollersTest.cluster(3, "c-0")));
    assertEquals(FailoverSpec.DEFAULT_FAILURE_THRESHOLD, ReportIntake.failureThreshold(null));

    intake.take(failed("c-1", 1, START), strict, START);
    assertEquals(
        Optional.empty(),
        intake.take(failed("c-1", 2, START.plusSeconds(1)), strict, START).passIn(),
        "past a threshold of 1");
    assertTrue(
        intake
            .take(failed("c-1", 3, START.plusSeconds(2)), PollersTest.cluster(3, "c-0"), START)
            .passIn()
            .isPresent(),
        "within the default threshold of 3");
  }

  @Test
  void firstAnswersThatShowNothingWrongArePacedWhileOtherPodsAreStillUnheard() {
    RedisCluster cluster = PollersTest.cluster(4, "c-0");
    pacing.started(START, Set.of("c-0", "c-1", "c-2", "c-3"), List.of(), false);
    Instant t = START.plusMillis(200);
    InstanceStatus replica = PodReportsTest.status(InstanceRole.REPLICA, 10, false);
    assertEquals(
        Optional.of(Duration.ofMillis(800)),
        intake.take(answer("c-0", primaryWith(), t), cluster, t).passIn());
    assertEquals(
        Optional.of(Duration.ofMillis(800)),
        intake.take(answer("c-1", replica, t), cluster, t).passIn(),
        "the recorded primary's report shows nothing wrong");
    assertEquals(
        Optional.of(Duration.ZERO),
        intake.take(failed("c-0", 1, t.plusMillis(10)), cluster, t).passIn(),
        "the primary's failed poll");
    assertEquals(
        Optional.of(Duration.ZERO),
        intake.take(answer("c-2", replica, t), cluster, t).passIn(),
        "the primary may be failing: what its replicas say is evidence");
  }

  @Test
  void aPrimaryWhoseReplicasChangedHasTheOtherPodsPolledAtOnce() {
    RedisCluster cluster = PollersTest.cluster(3, "c-0");
    intake.take(
        answer("c-1", PodReportsTest.status(InstanceRole.REPLICA, 10, false), START),
        cluster,
        START);
    intake.take(answer("c-0", primaryWith("10.0.0.1"), START), cluster, START);
    assertEquals(
        List.of(),
        intake
            .take(answer("c-0", primaryWith("10.0.0.1"), START.plusSeconds(1)), cluster, START)
            .recheck());
    assertEquals(
        List.of("c-1"),
        intake.take(answer("c-0", primaryWith(), START.plusSeconds(2)), cluster, START).recheck(),
        "a replica left its primary");
  }
}
