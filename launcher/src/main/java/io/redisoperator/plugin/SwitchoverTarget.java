package io.redisoperator.plugin;

import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.RedisCluster;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: the replica {@code switchover} picks when no {@code --to} is given: ready, linked,
 * unfenced, least behind (the operator validates the choice again before acting).
 */
final class SwitchoverTarget {
  private SwitchoverTarget() {}

  static Optional<String> choose(RedisCluster cluster) {
    if (cluster.getStatus() == null || cluster.getStatus().getInstancesStatus() == null) {
      return Optional.empty();
    }
    var fenced = cluster.getStatus().getFencedInstances();
    var userFenced =
        FenceList.parse(
            cluster.getMetadata().getAnnotations() == null
                ? null
                : cluster
                    .getMetadata()
                    .getAnnotations()
                    .get(io.redisoperator.protocol.naming.Annotations.FENCED_INSTANCES));
    return cluster.getStatus().getInstancesStatus().entrySet().stream()
        .filter(e -> e.getValue().getRole() == InstanceRole.REPLICA)
        .filter(
            e ->
                Boolean.TRUE.equals(e.getValue().getReady())
                    && !Boolean.FALSE.equals(e.getValue().getLinkUp()))
        .filter(e -> !Boolean.TRUE.equals(e.getValue().getFenced()))
        .filter(e -> fenced == null || !fenced.contains(e.getKey()))
        .filter(e -> !userFenced.contains(e.getKey()) && !userFenced.contains(FenceList.ALL))
        .min(
            Comparator.comparing(
                    (Map.Entry<String, InstanceStatusEntry> e) ->
                        e.getValue().getLagBytes() == null
                            ? Long.MAX_VALUE
                            : e.getValue().getLagBytes())
                .thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getKey);
  }
}
