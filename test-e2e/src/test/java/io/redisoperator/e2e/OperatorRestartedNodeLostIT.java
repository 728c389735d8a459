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
 * A restarted controller facing a lost node: the operator is killed, the primary's address starts dropping packets
 * (iptables DROP, as an unreachable node: no refusal, only timeouts), its pod object is force-deleted, and the operator
 * is started again. It has never polled that primary and its last address never answers: the promotion gate must
 * count from when the new operator started observing, not from "now" on every pass, so it fails over within its own
 * start-up plus the self-fencing bound plus detection.
 */
@Tag("chaos")
class OperatorRestartedNodeLostIT extends ScenarioIT {
  /**
   * From the controller's process start: JVM start, lease and informer sync (a few seconds on a busy machine), one poll
   * timeout, the gate's 3.75 s, the fence and promote calls. Without a bound from the start the failover never comes.
   */
  static final Duration MAX_FAILOVER_AFTER_START = Duration.ofSeconds(25);

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
    long startedAt;
    try (FaultInjector.Partition lost =
        env.faults().isolate(NAMESPACE, initialPrimary, EnumSet.of(Link.CONTROLLER, Link.API_SERVER, Link.PEERS))) {
      env.faults().forceDeletePod(NAMESPACE, initialPrimary);
      startedAt = System.nanoTime();
      env.faults().startController();
      try {
        cluster.await(c -> c.getStatus().getCurrentPrimary() != null
            && !initialPrimary.equals(c.getStatus().getCurrentPrimary()), MAX_FAILOVER_AFTER_START);
      } catch (RuntimeException e) {
        problems.add("no failover within " + MAX_FAILOVER_AFTER_START.toSeconds() + " s of the controller's start");
      }
      long failedOver = System.nanoTime();
      System.out.println("chaos-detail: scenario=" + scenario() + " failover_after_controller_start_ms="
          + (failedOver - startedAt) / 1_000_000);
    }
    double recovery = awaitRecovery(fault, writer,
        c -> cluster.pods().size() == INSTANCES && cluster.pods().values().stream().allMatch(PodReadiness::isReady),
        Duration.ofMinutes(3));
    // The old primary's writes after the cut may be lost (it was cut off, as on a lost node): reported, not failed on.
    finish(fault, recovery, writer, problems, false);
  }
}
