package io.redisoperator.bench.scale;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The RedisClusters the scale benchmark has the operator manage: their names, their one manifest
 * (three instances), their namespaces, and how they are created.
 */
final class ScaleWorkload {
  static final String NAMESPACE = "scale";
  static final int INSTANCES = 3;

  private ScaleWorkload() {}

  static String clusterName(int i) {
    return String.format("c%04d", i);
  }

  static RedisCluster cluster(String namespace, String name) {
    return Serialization.unmarshal(
        """
        apiVersion: redis.io/v1
        kind: RedisCluster
        metadata: {name: %s, namespace: %s}
        spec:
          instances: %d
          imageName: redis:7.2
          storage: {type: emptyDir, size: 64Mi}
        """
            .formatted(name, namespace, INSTANCES),
        RedisCluster.class);
  }

  /** Creates the namespace (or keeps it) and waits for its default ServiceAccount. */
  static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(existing -> existing.update());
    client
        .serviceAccounts()
        .inNamespace(name)
        .withName("default")
        .waitUntilCondition(Objects::nonNull, 120, TimeUnit.SECONDS);
  }

  /** Creates {@code clusters} RedisClusters in {@link #NAMESPACE}, as many at once as the floor. */
  static void createAll(KubernetesClient client, int clusters) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(ApiFloor.CONCURRENCY);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < clusters; i++) {
        String name = clusterName(i);
        futures.add(pool.submit(() -> client.resource(cluster(NAMESPACE, name)).create()));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A pod of the cluster that its status does not name as the primary. */
  static String replicaOf(RedisCluster rc) {
    String primary = rc.getStatus().getCurrentPrimary();
    for (int ordinal = 0; ordinal < INSTANCES; ordinal++) {
      String pod = ResourceNames.podName(rc.getMetadata().getName(), ordinal);
      if (!pod.equals(primary)) {
        return pod;
      }
    }
    throw new IllegalStateException("no replica in " + rc.getMetadata().getName());
  }

  /** The status entry of one pod, if the status has one. */
  static Optional<InstanceStatusEntry> entry(RedisCluster c, String pod) {
    return Optional.ofNullable(c.getStatus()).map(s -> s.getInstancesStatus()).map(m -> m.get(pod));
  }
}
