package io.redisoperator.controller.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
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
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caches keep what the controller reads and drop the rest as the watch delivers it: they hold
 * every watched object for the life of the process (about half of the heap at 300 clusters).
 */
class InformerHubTrimTest {
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

  private static final ResourceListener IGNORED =
      new ResourceListener() {
        @Override
        public void clusterChanged(RedisCluster cluster) {}

        @Override
        public void clusterDeleted(String namespace, String name) {}

        @Override
        public void ownedChanged(String namespace, String cluster) {}

        @Override
        public void nodesChanged() {}
      };

  @Test
  void cachedObjectsHoldNoManagedFieldsAndNodesOnlyWhetherCordoned() throws Exception {
    MockApi.installCrd(client);
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setNamespace("trim");
    cluster.getMetadata().setName("c");
    cluster
        .getMetadata()
        .setManagedFields(List.of(new ManagedFieldsEntryBuilder().withManager("kubectl").build()));
    client.resource(cluster).create();
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withNamespace("trim")
                .withName("c-1")
                .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.CLUSTER, "c"))
                .withManagedFields(
                    new ManagedFieldsEntryBuilder()
                        .withManager("redis-operator")
                        .withOperation("Update")
                        .build())
                .endMetadata()
                .withNewStatus()
                .withPodIP("10.0.0.1")
                .endStatus()
                .build())
        .create();
    client.resource(cordonedNode("cordoned", null)).create();

    try (InformerHub hub = new InformerHub(client, List.of(), IGNORED)) {
      hub.start(30_000);

      Pod pod = (Pod) hub.ownedBy("trim", "c").get(Pod.class).get(0);
      assertNoManagedFields(pod.getMetadata().getManagedFields(), "pod");
      assertEquals("10.0.0.1", pod.getStatus().getPodIP(), "what the controller reads is kept");
      assertNoManagedFields(
          hub.cluster("trim", "c").orElseThrow().getMetadata().getManagedFields(), "cluster");
      assertEquals(Set.of("cordoned"), hub.cordonedNodes(), "a trimmed node still tells");
    }
  }

  @Test
  void aNodeIsCachedAsWhetherItIsCordoned() {
    Node node = TrimmingStore.cordonOnly(cordonedNode("n", "7"));
    assertEquals("n", node.getMetadata().getName());
    assertEquals("7", node.getMetadata().getResourceVersion());
    assertEquals(true, node.getSpec().getUnschedulable());
    assertNull(node.getSpec().getPodCIDR());
    assertNull(node.getStatus());
    assertTrue(node.getMetadata().getLabels() == null || node.getMetadata().getLabels().isEmpty());
  }

  /** A cordoned Node with fields the controller never reads. */
  private static Node cordonedNode(String name, String resourceVersion) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withResourceVersion(resourceVersion)
        .withLabels(Map.of("zone", "a"))
        .endMetadata()
        .withNewSpec()
        .withUnschedulable(true)
        .withPodCIDR("10.1.0.0/24")
        .endSpec()
        .withNewStatus()
        .addNewImage()
        .withNames("an-image-the-controller-never-reads")
        .endImage()
        .endStatus()
        .build();
  }

  private static void assertNoManagedFields(List<?> managedFields, String what) {
    assertTrue(
        managedFields == null || managedFields.isEmpty(),
        what + " cached with its managedFields: " + managedFields);
  }
}
