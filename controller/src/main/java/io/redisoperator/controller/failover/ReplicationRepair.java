package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps every instance behind the recorded primary once it is healthy: fences any other instance
 * answering as a writable primary, points replicas (and fenced former primaries) at the recorded
 * primary, and lifts the operator's fence from an instance once it replicates from the recorded
 * primary with its link up.
 */
final class ReplicationRepair {
  private ReplicationRepair() {}

  static List<FailoverDecision> steps(ClusterObservation observation, String primary) {
    for (InstanceObservation instance : observation.byOrdinal()) {
      if (!instance.podName().equals(primary) && InstanceEvidence.writablePrimary(instance)) {
        return List.of(
            new FailoverDecision.Fence(
                instance.podName(),
                instance.podName() + " answers as a primary but " + primary + " is recorded"));
      }
    }
    List<FailoverDecision> steps = new ArrayList<>();
    steps.addAll(scaledAwayFences(observation, primary));
    InstanceObservation primaryInstance = observation.instance(primary).orElse(null);
    if (!servingPrimary(primaryInstance) || primaryInstance.podIP() == null) {
      return steps;
    }
    String host = primaryInstance.podIP();
    Set<String> fenced = FailoverPlanner.fenced(observation);
    for (InstanceObservation instance : observation.byOrdinal()) {
      if (instance.podName().equals(primary)
          || instance.podPhase() != PodPhase.RUNNING
          || !instance.answering()) {
        continue;
      }
      InstanceStatus status = instance.lastStatus();
      if (!follows(status, host)) {
        steps.add(
            new FailoverDecision.Repoint(instance.podName(), primary, host, AgentApi.REDIS_PORT));
      } else if (fenced.contains(instance.podName())
          && Boolean.TRUE.equals(status.masterLinkUp())
          && !observation.userFenced(instance.podName())) {
        steps.add(
            new FailoverDecision.Unfence(
                instance.podName(), instance.podName() + " rejoined as a replica of " + primary));
      }
    }
    return steps;
  }

  /** The recorded primary answers, Redis up, in role primary. */
  static boolean servingPrimary(InstanceObservation instance) {
    return instance != null
        && instance.answering()
        && instance.podPhase() == PodPhase.RUNNING
        && instance.lastStatus().role() == InstanceRole.PRIMARY;
  }

  /** A replica configured to follow host:6379 (link up or still syncing). */
  static boolean follows(InstanceStatus status, String host) {
    return status.role() == InstanceRole.REPLICA
        && Objects.equals(host, status.masterHost())
        && (status.masterPort() == null || status.masterPort() == AgentApi.REDIS_PORT);
  }

  /** Fences recorded for pods that a scale-down removed for good. */
  private static List<FailoverDecision> scaledAwayFences(
      ClusterObservation observation, String primary) {
    Integer instances =
        observation.cluster().getSpec() == null
            ? null
            : observation.cluster().getSpec().getInstances();
    if (instances == null) {
      return List.of();
    }
    List<FailoverDecision> steps = new ArrayList<>();
    for (String pod : FailoverPlanner.fenced(observation)) {
      InstanceObservation instance = observation.instance(pod).orElse(null);
      boolean gone = instance == null || instance.podPhase() == PodPhase.MISSING;
      boolean beyondScale =
          ResourceNames.ordinalOf(observation.name(), pod).orElse(-1) >= instances;
      if (!pod.equals(primary) && gone && beyondScale) {
        steps.add(new FailoverDecision.Unfence(pod, pod + " was scaled away"));
      }
    }
    return steps;
  }
}
