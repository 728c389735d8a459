package io.redisoperator.controller.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.redisoperator.protocol.crd.FailoverSpec;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Test helpers around the fabric8 CRUD mock: the CRD with its status subresource, and RedisCluster
 * fixtures.
 */
public final class MockApi {
  private MockApi() {}

  public static void installCrd(KubernetesClient client) throws Exception {
    try (InputStream in =
        RedisCluster.class.getResourceAsStream("/META-INF/fabric8/redisclusters.redis.io-v1.yml")) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      if (client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .get()
          == null) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
  }

  /**
   * Edits a RedisCluster as a user would with {@code kubectl edit}: on a conflict (the controller
   * wrote in between, the edit carries the resourceVersion it read) it reads again and re-applies
   * the change.
   */
  public static RedisCluster edit(
      KubernetesClient client, String namespace, String name, UnaryOperator<RedisCluster> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client
            .resources(RedisCluster.class)
            .inNamespace(namespace)
            .withName(name)
            .edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /**
   * A namespace of its own for each test method, from its name (mock objects of other tests stay
   * out of sight).
   */
  public static String namespaceFor(org.junit.jupiter.api.TestInfo info, String prefix) {
    String method =
        info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
    return prefix + method.substring(0, Math.min(20, method.length()));
  }

  /**
   * An operator watching only {@code namespace}, metrics on an ephemeral loopback port, agents on
   * their usual port.
   */
  public static io.redisoperator.controller.config.OperatorSettings operatorSettings(
      String namespace) {
    return io.redisoperator.controller.config.OperatorSettings.defaults()
        .withNamespaces(java.util.List.of(namespace))
        .withMetrics(java.util.List.of("127.0.0.1"), 0)
        .withAgentPort(io.redisoperator.protocol.agent.AgentApi.PORT);
  }

  /**
   * Waits (at most 5 s) until the namespace's pods and clusters stop changing, before an operator
   * is closed: the CRUD mock deadlocks its event loop for a minute when a watch is closed while an
   * event for it is being sent (WatchEventsListener.onClosed waits for its sender on the loop the
   * sender needs), which then fails the next tests' first request.
   */
  public static void awaitQuiet(KubernetesClient client, String namespace) {
    String[] last = {null};
    try {
      await("pods and clusters of " + namespace + " stop changing")
          .pollInterval(Duration.ofMillis(600))
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                String now = versions(client, namespace);
                boolean stable = now.equals(last[0]);
                last[0] = now;
                return stable;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Still changing after 5 s: close anyway; the mock's lock-up is then a risk, not a certainty.
    }
  }

  private static String versions(KubernetesClient client, String namespace) {
    try {
      return client.pods().inNamespace(namespace).list().getItems().stream()
              .map(p -> p.getMetadata().getResourceVersion())
              .sorted()
              .toList()
          + "/"
          + client.resources(RedisCluster.class).inNamespace(namespace).list().getItems().stream()
              .map(c -> c.getMetadata().getResourceVersion())
              .sorted()
              .toList();
    } catch (RuntimeException e) {
      return "unreachable";
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
