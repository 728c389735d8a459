package io.redisoperator.e2e;

import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.fault.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A restarted controller facing a lost node: the operator is killed, the primary's address starts
 * dropping packets (iptables DROP, as an unreachable node: no refusal, only timeouts), its pod
 * object is force-deleted, and the operator is started again. It has never polled that primary and
 * its last address never answers: the promotion gate must count from when the new operator started
 * observing, not from "now" on every pass, so it fails over within its own start-up plus the
 * self-fencing bound plus detection.
 */
@Tag("chaos")
class OperatorRestartedNodeLostIT extends ScenarioIT {
  /**
   * From the restarted controller's first pass (it recreates the missing pod at once): the failed
   * polls of the threshold, the gate's 3.75 s from the first of them, the fence and promote calls,
   * with room for a busy machine. Without a bound from the operator's start the failover never
   * comes.
   */
  static final Duration MAX_FAILOVER_AFTER_FIRST_PASS = Duration.ofSeconds(15);

  static final Duration MAX_CONTROLLER_START = Duration.ofMinutes(2);

  @Override
  String scenario() {
    return "operator-restarted-node-lost";
  }

  @Test
  void theRestartedOperatorFailsOverFromAnAddressThatDropsPackets() {
    var reason = env.faults().partitionUnavailableReason();
    reason.ifPresent(r -> ScenarioReport.skipped(scenario(), r).publish());
    Assumptions.assumeTrue(reason.isEmpty());
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    List<String> problems = new ArrayList<>();
    env.faults().killController();
    String oldUid = cluster.pods().get(initialPrimary).getMetadata().getUid();
    try (FaultInjector.Partition lost =
        env.faults()
            .isolate(
                NAMESPACE,
                initialPrimary,
                EnumSet.of(Link.CONTROLLER, Link.API_SERVER, Link.PEERS))) {
      env.faults().forceDeletePod(NAMESPACE, initialPrimary);
      long startedAt = System.nanoTime();
      env.faults().startController();
      boolean passed =
          pollUntil(
              () -> {
                var pod = cluster.pods().get(initialPrimary);
                return pod != null && !oldUid.equals(pod.getMetadata().getUid());
              },
              MAX_CONTROLLER_START);
      long firstPass = System.nanoTime();
      if (!passed) {
        problems.add(
            "the restarted controller did not recreate "
                + initialPrimary
                + " within "
                + MAX_CONTROLLER_START.toSeconds()
                + " s");
      }
      boolean failedOver =
          pollUntil(
              () -> {
                String primary = cluster.get().getStatus().getCurrentPrimary();
                return primary != null && !initialPrimary.equals(primary);
              },
              MAX_FAILOVER_AFTER_FIRST_PASS);
      long recorded = System.nanoTime();
      if (passed && !failedOver) {
        problems.add(
            "no failover within "
                + MAX_FAILOVER_AFTER_FIRST_PASS.toSeconds()
                + " s of the restarted controller's first pass");
      }
      System.out.println(
          "chaos-detail: scenario="
              + scenario()
              + " controller_first_pass_after_start_ms="
              + (firstPass - startedAt) / 1_000_000
              + " failover_after_first_pass_ms="
              + (recorded - firstPass) / 1_000_000);
    }
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c ->
                cluster.pods().size() == INSTANCES
                    && cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    // The old primary's writes after the cut may be lost (it was cut off, as on a lost node):
    // reported, not failed on.
    finish(fault, recovery, writer, problems, false);
  }
}
