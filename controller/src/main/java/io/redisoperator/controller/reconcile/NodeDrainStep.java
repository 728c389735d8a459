package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.failover.NodeDrainPlanner;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.event.EventReason;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Executes {@link NodeDrainPlanner} when no other switchover is requested: the primary on a
 * cordoned node is switched over to a replica on another node before a drain's eviction could take
 * it (its PodDisruptionBudget refuses that eviction meanwhile). When nobody can take over, the
 * cluster is Degraded with the reason and one Warning event.
 */
final class NodeDrainStep {

  private NodeDrainStep() {}

  static void plan(ReconcileInput in, Plan plan) {
    if (in.cordonedNodes().isEmpty()) {
      return;
    }
    Map<String, String> nodeOfPod = new HashMap<>();
    for (Pod pod : in.owned().all(Pod.class)) {
      if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
        nodeOfPod.put(pod.getMetadata().getName(), pod.getSpec().getNodeName());
      }
    }
    NodeDrainPlanner.Decision decision =
        NodeDrainPlanner.plan(in.observation(), nodeOfPod, in.cordonedNodes());
    if (decision instanceof NodeDrainPlanner.HandOver handOver) {
      SwitchoverStep.start(in, plan, handOver.plan(), "node " + handOver.node() + " is cordoned");
    } else if (decision instanceof NodeDrainPlanner.PollCandidate poll) {
      plan.pollNow(poll.pod());
    } else if (decision instanceof NodeDrainPlanner.Blocked blocked) {
      plan.phase(Phase.DEGRADED, blocked.reason());
      String previous =
          in.cluster().getStatus() == null ? null : in.cluster().getStatus().getPhaseReason();
      if (!Objects.equals(previous, blocked.reason())) {
        plan.add(new Action.Emit(EventReason.NODE_DRAIN_BLOCKED, blocked.reason()));
      }
    }
  }
}
