package io.redisoperator.controller.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The strict mock refuses what a real API server refuses: a status update from a stale copy. */
class OptimisticLockingDispatcherTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    server = OptimisticLockingDispatcher.startServer();
    client = server.createClient();
    MockApi.installCrd(client);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.destroy();
  }

  private static RedisCluster withPhase(RedisCluster cluster, Phase phase) {
    RedisClusterStatus status = new RedisClusterStatus();
    status.setPhase(phase);
    cluster.setStatus(status);
    return cluster;
  }

  @Test
  void aStatusUpdateFromAStaleCopyIsAConflictAndChangesNothing() {
    RedisCluster created = client.resource(MockApi.cluster("olock", "a", 1)).create();
    RedisCluster fresh = client.resource(withPhase(created, Phase.HEALTHY)).updateStatus();
    RedisCluster stale =
        withPhase(client.resource(fresh).get(), Phase.FAILING_OVER); // read before the edit below
    MockApi.edit(
        client,
        "olock",
        "a",
        c -> {
          c.getMetadata().setLabels(java.util.Map.of("edited", "yes"));
          return c;
        });

    KubernetesClientException refused =
        assertThrows(KubernetesClientException.class, () -> client.resource(stale).updateStatus());
    assertEquals(409, refused.getCode());
    assertEquals(Phase.HEALTHY, client.resource(fresh).get().getStatus().getPhase());
  }

  @Test
  void aStatusUpdateFromTheCurrentCopyIsWritten() {
    RedisCluster created = client.resource(MockApi.cluster("olock", "b", 1)).create();
    RedisCluster written = client.resource(withPhase(created, Phase.HEALTHY)).updateStatus();
    assertEquals(Phase.HEALTHY, client.resource(written).get().getStatus().getPhase());
    client.resource(withPhase(written, Phase.FAILING_OVER)).updateStatus();
    assertEquals(Phase.FAILING_OVER, client.resource(written).get().getStatus().getPhase());
  }
}
