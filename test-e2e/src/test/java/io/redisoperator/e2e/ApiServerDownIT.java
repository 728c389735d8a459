package io.redisoperator.e2e;

import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.sandbox.fault.FaultInjector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes API server is down for 60 s under a writer. The data path does not go through it:
 * the primary keeps its contact with the controller (whose polls reach the agents directly), so it
 * neither fences itself nor is failed over, and writes through -leader go on. Once the API server
 * is back the operator converges without a failover and acts again (a switchover requested
 * afterwards is carried out).
 */
@Tag("chaos")
class ApiServerDownIT extends ScenarioIT {
  static final Duration OUTAGE = Duration.ofSeconds(60);

  /** Writes go on during the outage: no pause longer than a slow moment of a busy machine. */
  static final long MAX_GAP_DURING_OUTAGE_MILLIS = 2000;

  @Override
  String scenario() {
    return "api-server-down";
  }

  @Test
  void writesGoOnAndNothingFailsOver() {
    var reason = env.faults().apiServerOutageUnavailableReason();
    reason.ifPresent(r -> ScenarioReport.skipped(scenario(), r).publish());
    Assumptions.assumeTrue(reason.isEmpty());
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    List<String> problems = new ArrayList<>();
    long gapDuringOutage;
    apiServerDownFrom = java.time.Instant.now();
    try (FaultInjector.Outage outage = env.faults().stopApiServer()) {
      sleep(OUTAGE.toMillis());
      gapDuringOutage = writer.maxGapMillisSince(fault);
    }
    apiServerBackAt = java.time.Instant.now();
    long back = System.nanoTime();
    if (gapDuringOutage > MAX_GAP_DURING_OUTAGE_MILLIS) {
      problems.add("writes stopped for " + gapDuringOutage + " ms while the API server was down");
    }
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c ->
                cluster.pods().size() == INSTANCES
                    && cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    var status = cluster.get().getStatus();
    String primaryAfterOutage = status.getCurrentPrimary();
    if (!initialPrimary.equals(primaryAfterOutage)) {
      problems.add(
          "needless failover: the primary is "
              + status.getCurrentPrimary()
              + ", was "
              + initialPrimary);
    }
    if (!status.getFencedInstances().isEmpty()) {
      problems.add("fenced after the outage: " + status.getFencedInstances());
    }
    // The operator acts again: a switchover requested now is carried out. (Not a pod recreation:
    // right after its API
    // server restarted, kube-scheduler was seen to leave a new pod unscheduled for minutes, which
    // is not ours.)
    String target =
        cluster.pods().keySet().stream()
            .filter(p -> !p.equals(initialPrimary))
            .findFirst()
            .orElseThrow();
    annotate(Annotations.SWITCHOVER_TO, target);
    if (!pollUntil(
        () -> target.equals(cluster.get().getStatus().getCurrentPrimary()),
        Duration.ofMinutes(2))) {
      problems.add("after the outage the operator did not carry out a switchover to " + target);
    }
    System.out.println(
        "chaos-detail: scenario="
            + scenario()
            + " outage_s="
            + OUTAGE.toSeconds()
            + " max_gap_during_outage_ms="
            + gapDuringOutage
            + " healthy_after_api_back_s="
            + (recovery < 0 ? -1 : recovery - (back - fault) / 1e9));
    finish(fault, recovery, writer, problems, true);
  }
}
