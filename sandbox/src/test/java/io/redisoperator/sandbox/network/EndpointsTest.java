package io.redisoperator.sandbox.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  private static Pod pod(String name, String ip, String role, boolean ready, boolean terminating) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("ns")
            .addToLabels("app", "r")
            .addToLabels("role", role)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .addNewPort()
            .withName("redis")
            .withContainerPort(6379)
            .endPort()
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPodIP(ip)
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    if (terminating) {
      b.editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata();
    }
    return b.build();
  }

  private static final Service LEADER =
      new ServiceBuilder()
          .withNewMetadata()
          .withName("leader")
          .withNamespace("ns")
          .endMetadata()
          .withNewSpec()
          .addToSelector("app", "r")
          .addToSelector("role", "primary")
          .addNewPort()
          .withPort(6379)
          .withTargetPort(new IntOrString("redis"))
          .endPort()
          .endSpec()
          .build();

  @Test
  void onlyReadyMatchingNonTerminatingPodsOfTheNamespace() {
    List<Pod> pods =
        List.of(
            pod("a", "127.0.100.2", "primary", true, false),
            pod("b", "127.0.100.3", "replica", true, false),
            pod("c", "127.0.100.4", "primary", false, false),
            pod("d", "127.0.100.5", "primary", true, true));
    assertEquals(
        List.of(new InetSocketAddress("127.0.100.2", 6379)),
        Endpoints.ready(LEADER, LEADER.getSpec().getPorts().get(0), pods));
  }

  @Test
  void aServiceWithoutSelectorHasNoEndpoints() {
    Service none = new ServiceBuilder(LEADER).editSpec().withSelector(null).endSpec().build();
    assertEquals(
        List.of(),
        Endpoints.ready(
            none,
            none.getSpec().getPorts().get(0),
            List.of(pod("a", "127.0.100.2", "primary", true, false))));
  }
}
