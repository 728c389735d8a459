package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: the primary pod is force-deleted (grace 0) during continuous writes through -leader.
 */
@Tag("ci")
class PrimaryPodForceDeletedIT extends ScenarioIT {
  @Override
  String scenario() {
    return "primary-pod-force-deleted";
  }

  @Test
  void anotherInstanceTakesOverAndNothingReplicatedIsLost() {
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    String oldUid = cluster.pods().get(initialPrimary).getMetadata().getUid();
    long fault = System.nanoTime();
    env.faults().forceDeletePod(NAMESPACE, initialPrimary);
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c -> allPodsReadyAndRecreated(initialPrimary, oldUid),
            Duration.ofMinutes(3));
    finish(fault, recovery, writer, List.of(), false);
  }

  private boolean allPodsReadyAndRecreated(String pod, String oldUid) {
    Map<String, Pod> pods = cluster.pods();
    Pod recreated = pods.get(pod);
    return pods.size() == INSTANCES
        && recreated != null
        && !oldUid.equals(recreated.getMetadata().getUid())
        && pods.values().stream().allMatch(PodReadiness::isReady);
  }
}
