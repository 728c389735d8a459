package io.redisoperator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a cluster has settled, judged as a user would from the API: the RedisCluster Healthy with
 * no fenced instance, every data pod present and Ready, and the role labels (what the Services
 * route by) agreeing with {@code status.currentPrimary}.
 */
final class Settlement {
  private Settlement() {}

  /** Why the cluster has not settled, or empty when it has. */
  static Optional<String> problem(RedisCluster cluster, Collection<Pod> pods) {
    if (!ClusterWait.isHealthy(cluster)) {
      return Optional.of(
          "not Healthy (phase "
              + (cluster == null || cluster.getStatus() == null
                  ? "none"
                  : cluster.getStatus().getPhase())
              + ")");
    }
    if (!cluster.getStatus().getFencedInstances().isEmpty()) {
      return Optional.of("fenced: " + cluster.getStatus().getFencedInstances());
    }
    List<Pod> live =
        pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    if (live.size() != cluster.getSpec().getInstances()) {
      return Optional.of(live.size() + " of " + cluster.getSpec().getInstances() + " pods");
    }
    String primary = cluster.getStatus().getCurrentPrimary();
    for (Pod pod : live) {
      String name = pod.getMetadata().getName();
      if (!isReady(pod)) {
        return Optional.of(name + " not Ready");
      }
      String role =
          pod.getMetadata().getLabels() == null
              ? null
              : pod.getMetadata().getLabels().get(Labels.ROLE);
      String expected = name.equals(primary) ? Labels.ROLE_PRIMARY : Labels.ROLE_REPLICA;
      if (!Objects.equals(role, expected)) {
        return Optional.of(name + " labelled " + role + ", expected " + expected);
      }
    }
    return Optional.empty();
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
