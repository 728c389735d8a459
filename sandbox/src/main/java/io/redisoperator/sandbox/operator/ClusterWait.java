package io.redisoperator.sandbox.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a RedisCluster to report Healthy with every instance ready, as a user would watch
 * kubectl.
 */
public final class ClusterWait {
  private ClusterWait() {}

  public static boolean isHealthy(RedisCluster cluster) {
    if (cluster == null || cluster.getStatus() == null || cluster.getSpec() == null) {
      return false;
    }
    var status = cluster.getStatus();
    return status.getPhase() == Phase.HEALTHY
        && Objects.equals(status.getReadyInstances(), cluster.getSpec().getInstances())
        && status.getCurrentPrimary() != null
        && Objects.equals(status.getObservedGeneration(), cluster.getMetadata().getGeneration());
  }

  /** Waits on a watch-backed informer wait (no polling of the API server). */
  public static RedisCluster awaitHealthy(
      KubernetesClient client, String namespace, String name, Duration timeout)
      throws TimeoutException {
    try {
      return client
          .resources(RedisCluster.class)
          .inNamespace(namespace)
          .withName(name)
          .waitUntilCondition(
              ClusterWait::isHealthy,
              timeout.toMillis(),
              java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (io.fabric8.kubernetes.client.KubernetesClientTimeoutException e) {
      RedisCluster last =
          client.resources(RedisCluster.class).inNamespace(namespace).withName(name).get();
      String phase =
          last == null || last.getStatus() == null
              ? "no status"
              : String.valueOf(last.getStatus().getPhase());
      throw new TimeoutException(
          "RedisCluster "
              + namespace
              + "/"
              + name
              + " not Healthy after "
              + timeout
              + " (phase: "
              + phase
              + ")");
    }
  }
}
