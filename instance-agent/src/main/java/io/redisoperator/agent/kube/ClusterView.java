package io.redisoperator.agent.kube;

import java.util.List;

/**
 * What the agent reads of its RedisCluster: who the controller recorded as primary, whom it fenced, and the
 * primary pod's IP (null when unknown, or when this pod is the primary).
 */
public record ClusterView(String currentPrimary, List<String> fencedInstances, String primaryPodIp) {
  public ClusterView {
    fencedInstances = fencedInstances == null ? List.of() : List.copyOf(fencedInstances);
  }
}
