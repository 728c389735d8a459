package io.redisoperator.controller.backup;

import io.redisoperator.protocol.crd.BackupTarget;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: which data pod takes a backup, from the cluster's recorded status. Only ready, unfenced
 * data pods with Redis up qualify (sentinel pods are never data pods). {@code prefer-replica} takes
 * the in-sync replica least behind (ties: the highest ordinal), else the primary; {@code primary}
 * takes the current primary.
 */
public final class BackupTargetPicker {
  private BackupTargetPicker() {}

  /** The chosen pod and the IP its agent answers on. */
  public record Choice(String pod, String podIp) {}

  public static Optional<Choice> pick(RedisCluster cluster, BackupTarget target) {
    if (cluster.getStatus() == null || cluster.getStatus().getInstancesStatus() == null) {
      return Optional.empty();
    }
    String name = cluster.getMetadata().getName();
    Map<String, InstanceStatusEntry> instances = cluster.getStatus().getInstancesStatus();
    String primary = cluster.getStatus().getCurrentPrimary();
    Optional<Choice> primaryChoice =
        Optional.ofNullable(primary)
            .filter(
                p ->
                    usable(name, p, instances.get(p))
                        && instances.get(p).getRole() == InstanceRole.PRIMARY)
            .map(p -> new Choice(p, instances.get(p).getPodIP()));
    if (target == BackupTarget.PRIMARY) {
      return primaryChoice;
    }
    Optional<Choice> replica =
        instances.entrySet().stream()
            .filter(e -> !e.getKey().equals(primary))
            .filter(e -> usable(name, e.getKey(), e.getValue()))
            .filter(
                e ->
                    e.getValue().getRole() == InstanceRole.REPLICA
                        && Boolean.TRUE.equals(e.getValue().getLinkUp()))
            .min(
                Comparator.<Map.Entry<String, InstanceStatusEntry>>comparingLong(
                        e ->
                            e.getValue().getLagBytes() == null
                                ? Long.MAX_VALUE
                                : e.getValue().getLagBytes())
                    .thenComparing(e -> -ResourceNames.ordinalOf(name, e.getKey()).orElse(0)))
            .map(e -> new Choice(e.getKey(), e.getValue().getPodIP()));
    return replica.isPresent() ? replica : primaryChoice;
  }

  private static boolean usable(String cluster, String pod, InstanceStatusEntry e) {
    return e != null
        && ResourceNames.ordinalOf(cluster, pod).isPresent()
        && Boolean.TRUE.equals(e.getReady())
        && Boolean.TRUE.equals(e.getRedisUp())
        && !Boolean.TRUE.equals(e.getFenced())
        && e.getPodIP() != null
        && !e.getPodIP().isBlank();
  }
}
