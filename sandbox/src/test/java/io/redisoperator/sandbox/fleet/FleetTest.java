package io.redisoperator.sandbox.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import io.redisoperator.sandbox.api.ApiServer;
import io.redisoperator.sandbox.network.AddressPool;
import io.redisoperator.sandbox.state.StateDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet as the kubelet of its pods on the sandbox's (mock) API server: a served pod's status is
 * Running and Ready, and when another writer marks it not Ready (as the node lifecycle controller
 * does when it judges the node's heartbeats missed) the fleet writes it back once, when the node is
 * Ready.
 */
class FleetTest {
  private static final String NS = "ns";
  private static final String CLUSTER = "c";
  private static final String POD = "c-0";
  private static final String NODE = "fleet-node-1";
  private static final Duration VALIDITY = Duration.ofHours(1);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path stateRoot;
  private ApiServer api;
  private KubernetesClient client;
  private KubernetesClient other;
  private StateDir state;
  private Fleet fleet;

  @BeforeEach
  void serveOnePod() throws Exception {
    api = ApiServer.start("127.0.0.1", 0, () -> "10.96.0.10");
    client = api.newClient();
    other = api.newClient();
    state = StateDir.create(stateRoot);
    client.resource(node("True")).create();
    client.resource(agentSecret()).create();
    client.resource(pod()).create();
    fleet =
        new Fleet(
            client,
            Set.of(NODE),
            "127.0.200.1",
            new AddressPool(state, "127.0.251.2", "127.0.251.250"),
            0,
            System::currentTimeMillis,
            1);
    fleet.start();
    await().atMost(WAIT).until(() -> ready(current()));
  }

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
    state.releaseAllAddresses();
    api.close();
  }

  @Test
  void aPodMarkedNotReadyByAnotherWriterIsWrittenBackOnce() {
    markNotReady();

    await().atMost(WAIT).until(() -> fleet.counters().statusRestores() == 1 && ready(current()));
    Pod restored = current();
    assertEquals("True", condition(restored, "ContainersReady"));
    assertEquals(Boolean.TRUE, restored.getStatus().getContainerStatuses().get(0).getReady());
    // Untouched: what was not the fleet's to change.
    assertEquals("True", condition(restored, "PodScheduled"));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> ready(current()) && fleet.counters().statusRestores() == 1);
  }

  @Test
  void aPodOfANodeNotReadyWaitsForTheNodeToBeReadyAgain() {
    other.nodes().resource(node("Unknown")).updateStatus();
    markNotReady();

    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .until(() -> !ready(current()) && fleet.counters().statusRestores() == 0);

    other.nodes().resource(node("True")).updateStatus();
    await().atMost(WAIT).until(() -> ready(current()));
    assertEquals(1, fleet.counters().statusRestores());
  }

  /** As the node lifecycle controller's MarkPodsNotReady: the Ready condition False. */
  private void markNotReady() {
    Pod pod = current();
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        c.setStatus("False");
        c.setReason("NodeNotReady");
      }
    }
    assertFalse(ready(other.pods().inNamespace(NS).resource(pod).updateStatus()));
  }

  private Pod current() {
    return client.pods().inNamespace(NS).withName(POD).get();
  }

  private static boolean ready(Pod pod) {
    return "True".equals(condition(pod, "Ready"));
  }

  private static String condition(Pod pod, String type) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(PodCondition::getStatus)
        .findFirst()
        .orElse(null);
  }

  private static io.fabric8.kubernetes.api.model.Node node(String ready) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(NODE)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready)
        .endCondition()
        .endStatus()
        .build();
  }

  private static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(NS)
        .withName(POD)
        .withLabels(Map.of(Labels.WORKLOAD, Labels.WORKLOAD_DATA, Labels.CLUSTER, CLUSTER))
        .endMetadata()
        .withNewSpec()
        .withNodeName(NODE)
        .addNewContainer()
        .withName("redis")
        .withImage("redis:7")
        .endContainer()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.Secret agentSecret() {
    CertificateAuthority ca = CertificateAuthority.create("agent-ca", Instant.now(), VALIDITY);
    KeyMaterial own =
        ca.issue(
            CertificateRequest.server(POD, AgentTls.podNames(POD, NS), VALIDITY), Instant.now());
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(NS)
        .withName(ResourceNames.agentTlsSecret(POD))
        .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE))
        .endMetadata()
        .withData(
            Map.of(
                InstanceLayout.SECRET_KEY_TLS_CERT, base64(own.certificatePem()),
                InstanceLayout.SECRET_KEY_TLS_KEY, base64(own.keyPem()),
                InstanceLayout.SECRET_KEY_CA_CERT, base64(Pem.encode(List.of(ca.certificate())))))
        .build();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
