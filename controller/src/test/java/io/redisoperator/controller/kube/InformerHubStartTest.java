package io.redisoperator.controller.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.redisoperator.controller.support.MockApi;
import io.redisoperator.controller.support.MockServers;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's start-up order: informers started and synced behind a closed {@link SyncGate},
 * then opened. Every cluster announced must find its owned objects in the cache already.
 */
class InformerHubStartTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  @BeforeAll
  static void startMock() {
    server = MockServers.start();
    client = server.createClient();
  }

  @AfterAll
  static void stopMock() {
    MockServers.stop(server, client);
  }

  @Test
  void everyAnnouncedClusterSeesItsOwnedObjectsInTheCache() throws Exception {
    MockApi.installCrd(client);
    for (String name : List.of("a", "b", "c")) {
      RedisCluster cluster = new RedisCluster();
      cluster.getMetadata().setNamespace("ns");
      cluster.getMetadata().setName(name);
      client.resource(cluster).create();
      client
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withNamespace("ns")
                  .withName(name + "-1")
                  .withLabels(
                      Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.CLUSTER, name))
                  .endMetadata()
                  .build())
          .create();
    }
    List<String> podsSeenAtAnnouncement = new CopyOnWriteArrayList<>();
    InformerHub[] hubRef = new InformerHub[1];
    SyncGate gate =
        new SyncGate(
            new ResourceListener() {
              @Override
              public void clusterChanged(RedisCluster cluster) {
                String name = cluster.getMetadata().getName();
                int pods = hubRef[0].ownedBy("ns", name).getOrDefault(Pod.class, List.of()).size();
                podsSeenAtAnnouncement.add(name + "=" + pods);
              }

              @Override
              public void clusterDeleted(String namespace, String name) {}

              @Override
              public void ownedChanged(String namespace, String cluster) {}

              @Override
              public void nodesChanged() {}
            });
    try (InformerHub hub = new InformerHub(client, List.of(), gate)) {
      hubRef[0] = hub;
      hub.start(30_000);
      assertTrue(podsSeenAtAnnouncement.isEmpty(), podsSeenAtAnnouncement.toString());
      assertTrue(hub.synced());

      gate.open(hub::clusters);

      assertEquals(List.of("a=1", "b=1", "c=1"), podsSeenAtAnnouncement.stream().sorted().toList());
    }
  }
}
