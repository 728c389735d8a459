package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The primary pod is deleted gracefully (SIGTERM to the agent, grace period, then SIGKILL, as a
 * kubelet does) under a writer. Its agent must stop Redis before its port refuses connections (a
 * refused port on a terminating pod is the controller's proof of death): no write may be
 * acknowledged by the old primary once another node takes writes.
 */
@Tag("chaos")
class PrimaryDeletedGracefullyIT extends ScenarioIT {
  @Override
  String scenario() {
    return "primary-deleted-gracefully";
  }

  @Test
  void theOldPrimaryTakesNoWriteOnceTheNewOneDoes() {
    SplitBrainProbes probes = new SplitBrainProbes(env, cluster, initialPrimary);
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    String oldUid = cluster.pods().get(initialPrimary).getMetadata().getUid();
    long fault = System.nanoTime();
    env.client()
        .pods()
        .inNamespace(NAMESPACE)
        .withName(initialPrimary)
        .withGracePeriod(30)
        .delete();
    double recovery =
        awaitRecovery(fault, writer, c -> recreated(initialPrimary, oldUid), Duration.ofMinutes(3));
    List<String> problems = new ArrayList<>();
    probes.stopAndCheck(problems, true);
    long newWritable = probes.newFirstAckNanos();
    System.out.println(
        "chaos-detail: scenario="
            + scenario()
            + " old_last_ack_after_fault_ms="
            + (probes.oldLastAckNanos() - fault) / 1_000_000
            + " new_first_ack_after_fault_ms="
            + (newWritable == Long.MAX_VALUE ? -1 : (newWritable - fault) / 1_000_000));
    finish(fault, recovery, writer, problems, true);
  }

  private boolean recreated(String pod, String oldUid) {
    Map<String, Pod> pods = cluster.pods();
    Pod p = pods.get(pod);
    return pods.size() == INSTANCES
        && p != null
        && !oldUid.equals(p.getMetadata().getUid())
        && pods.values().stream().allMatch(PodReadiness::isReady);
  }
}
