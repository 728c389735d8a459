package io.redisoperator.agent.kube;

import java.util.List;

/**
 * What the agent reads of its RedisCluster: who the controller recorded as primary, whom it fenced, whom it cannot
 * reach, and the primary pod's IP (null when unknown, or when this pod is the primary).
 */
public record ClusterView(
    String currentPrimary, List<String> fencedInstances, String primaryPodIp, List<String> unreachableInstances) {
  public ClusterView {
    fencedInstances = fencedInstances == null ? List.of() : List.copyOf(fencedInstances);
    unreachableInstances = unreachableInstances == null ? List.of() : List.copyOf(unreachableInstances);
  }

  /** A view in which the controller reaches every pod. */
  public ClusterView(String currentPrimary, List<String> fencedInstances, String primaryPodIp) {
    this(currentPrimary, fencedInstances, primaryPodIp, List.of());
  }

  /**
   * Whether this read proves the controller still considers {@code pod} in touch: a read that shows it unreachable or
   * fenced is not contact (the controller may be replacing it).
   */
  public boolean vouchesFor(String pod) {
    return !unreachableInstances.contains(pod) && !fencedInstances.contains(pod);
  }
}
