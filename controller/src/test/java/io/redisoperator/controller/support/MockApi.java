package io.redisoperator.controller.support;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.FailoverSpec;
import java.io.InputStream;
import java.util.function.UnaryOperator;

/** Test helpers around the fabric8 CRUD mock: the CRD with its status subresource, and RedisCluster fixtures. */
public final class MockApi {
  private MockApi() {}

  public static void installCrd(KubernetesClient client) throws Exception {
    try (InputStream in = RedisCluster.class.getResourceAsStream("/META-INF/fabric8/redisclusters.redis.io-v1.yml")) {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
      if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
  }

  /**
   * Edits a RedisCluster as a user would with {@code kubectl edit}: on a conflict (the controller wrote in between,
   * the edit carries the resourceVersion it read) it reads again and re-applies the change.
   */
  public static RedisCluster edit(KubernetesClient client, String namespace, String name,
      UnaryOperator<RedisCluster> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resources(RedisCluster.class).inNamespace(namespace).withName(name).edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  public static RedisCluster cluster(String namespace, String name, int instances) {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName(name);
    cluster.getMetadata().setNamespace(namespace);
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(instances);
    FailoverSpec failover = new FailoverSpec();
    failover.setPollIntervalMillis(200);
    spec.setFailover(failover);
    cluster.setSpec(spec);
    cluster.setStatus(null);
    return cluster;
  }
}
