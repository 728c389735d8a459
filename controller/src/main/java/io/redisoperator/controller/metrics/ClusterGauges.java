package io.redisoperator.controller.metrics;

import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure: what the per-cluster series show of one RedisCluster, taken from the status the cluster
 * actor just built (so the metrics never disagree with {@code kubectl get rdc}).
 *
 * @param phase lower-case phase, {@code unknown} before the first status
 * @param primaryReady the recorded primary answers as an unfenced, ready primary with Redis up
 */
public record ClusterGauges(
    String phase,
    int instances,
    int readyInstances,
    boolean primaryReady,
    Map<String, Instance> pods) {

  /**
   * One data pod: {@code role} is lower case ({@code primary}, {@code replica}, {@code unknown}).
   */
  public record Instance(String role, boolean ready, boolean fenced, Long lagBytes) {}

  public static ClusterGauges of(Integer specInstances, RedisClusterStatus status) {
    Phase phase = status == null ? null : status.getPhase();
    Map<String, Instance> pods = new TreeMap<>();
    if (status != null && status.getInstancesStatus() != null) {
      status.getInstancesStatus().forEach((pod, e) -> pods.put(pod, instance(pod, e, status)));
    }
    boolean primaryReady = false;
    if (status != null && status.getCurrentPrimary() != null) {
      InstanceStatusEntry e =
          status.getInstancesStatus() == null
              ? null
              : status.getInstancesStatus().get(status.getCurrentPrimary());
      primaryReady =
          e != null
              && e.getRole() == InstanceRole.PRIMARY
              && Boolean.TRUE.equals(e.getReady())
              && Boolean.TRUE.equals(e.getRedisUp())
              && !fenced(status.getCurrentPrimary(), e, status);
    }
    int ready = (int) pods.values().stream().filter(Instance::ready).count();
    return new ClusterGauges(
        phase == null ? "unknown" : phase.name().toLowerCase(),
        specInstances == null ? 0 : specInstances,
        ready,
        primaryReady,
        Map.copyOf(pods));
  }

  private static Instance instance(String pod, InstanceStatusEntry e, RedisClusterStatus status) {
    String role = e.getRole() == null ? "unknown" : e.getRole().name().toLowerCase();
    return new Instance(
        role, Boolean.TRUE.equals(e.getReady()), fenced(pod, e, status), e.getLagBytes());
  }

  private static boolean fenced(String pod, InstanceStatusEntry e, RedisClusterStatus status) {
    return Boolean.TRUE.equals(e.getFenced())
        || (status.getFencedInstances() != null && status.getFencedInstances().contains(pod));
  }
}
