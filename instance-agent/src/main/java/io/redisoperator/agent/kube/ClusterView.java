package io.redisoperator.agent.kube;

import java.util.List;
import java.util.Set;

/**
 * What the agent reads of its RedisCluster: who the controller recorded as primary, whom it fenced,
 * whom it cannot reach, the primary pod's IP (null when unknown, or when this pod is the primary),
 * and the IPs of the cluster's current pods, data and sentinel (empty when the reader does not list
 * pods).
 */
public record ClusterView(
    String currentPrimary,
    List<String> fencedInstances,
    String primaryPodIp,
    List<String> unreachableInstances,
    Set<String> podIps) {
  public ClusterView {
    fencedInstances = fencedInstances == null ? List.of() : List.copyOf(fencedInstances);
    unreachableInstances =
        unreachableInstances == null ? List.of() : List.copyOf(unreachableInstances);
    podIps = podIps == null ? Set.of() : Set.copyOf(podIps);
  }

  /** A view without the cluster's pod IPs (a reader that GETs the primary pod only). */
  public ClusterView(
      String currentPrimary,
      List<String> fencedInstances,
      String primaryPodIp,
      List<String> unreachableInstances) {
    this(currentPrimary, fencedInstances, primaryPodIp, unreachableInstances, Set.of());
  }

  /** A view in which the controller reaches every pod. */
  public ClusterView(String currentPrimary, List<String> fencedInstances, String primaryPodIp) {
    this(currentPrimary, fencedInstances, primaryPodIp, List.of());
  }

  /**
   * Whether this read proves the controller still considers {@code pod} in touch: a read that shows
   * it unreachable or fenced is not contact (the controller may be replacing it).
   */
  public boolean vouchesFor(String pod) {
    return !unreachableInstances.contains(pod) && !fencedInstances.contains(pod);
  }
}
