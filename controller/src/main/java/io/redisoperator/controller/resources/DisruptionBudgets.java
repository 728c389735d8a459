package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.List;

/**
 * Two PodDisruptionBudgets: the primary is never evicted (a drain waits for a switchover), and at
 * most one replica is evicted at a time, so a drain never takes the primary and the last replica
 * together.
 */
public final class DisruptionBudgets {
  private DisruptionBudgets() {}

  public static List<PodDisruptionBudget> build(RedisCluster cluster) {
    String name = cluster.getMetadata().getName();
    int replicas = Math.max(cluster.getSpec().getInstances() - 1, 0);
    return List.of(
        pdb(cluster, ResourceNames.primaryPdb(name), Labels.ROLE_PRIMARY, 1),
        pdb(
            cluster,
            ResourceNames.replicaPdb(name),
            Labels.ROLE_REPLICA,
            Math.max(replicas - 1, 0)));
  }

  private static PodDisruptionBudget pdb(
      RedisCluster cluster, String name, String role, int minAvailable) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(Owners.owned(cluster, name))
        .withNewSpec()
        .withMinAvailable(new IntOrString(minAvailable))
        .withNewSelector()
        .withMatchLabels(ClusterServices.roleSelector(cluster.getMetadata().getName(), role))
        .endSelector()
        .endSpec()
        .build();
  }
}
