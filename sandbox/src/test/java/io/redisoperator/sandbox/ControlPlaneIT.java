package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.sandbox.controlplane.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sandbox on the real control plane: nodes, scheduling, service-account tokens, RBAC, graceful
 * deletion.
 */
class ControlPlaneIT extends SandboxIT {

  /**
   * Why the sandbox runs no EndpointSlice controller (docs/development.md): the API server refuses
   * a pod's loopback address in an EndpointSlice, while a private non-loopback address is accepted.
   */
  @Test
  void endpointSlicesRefuseLoopbackAddressesOnly() {
    KubernetesClientException refused =
        assertThrows(
            KubernetesClientException.class,
            () -> client.resource(endpointSlice("loopback", "127.0.100.5")).create());
    assertEquals(422, refused.getCode());
    assertTrue(
        refused.getMessage().contains("may not be in the loopback range"), refused.getMessage());
    for (String address : new String[] {"100.64.0.5", "10.244.0.5"}) {
      client.resource(endpointSlice("private-" + address.replace('.', '-'), address)).create();
    }
  }

  private static io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice endpointSlice(
      String name, String address) {
    return new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .addToLabels("kubernetes.io/service-name", "none")
        .endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint()
        .withAddresses(address)
        .endEndpoint()
        .addNewPort()
        .withName("redis")
        .withPort(6379)
        .withProtocol("TCP")
        .endPort()
        .build();
  }

  @Test
  void everyNodeIsRegisteredAndReady() {
    for (String name : Sandbox.NODE_NAMES) {
      Node node = client.nodes().withName(name).get();
      assertNotNull(node, name);
      assertTrue(
          node.getStatus().getConditions().stream()
              .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")),
          name + " Ready");
    }
  }

  @Test
  void aPodIsScheduledAndRunsWithItsOwnBoundServiceAccountToken() throws Exception {
    client.resource(TestPods.webPod("cp-token", "cp-token")).create();
    Pod running = TestPods.await(client, "cp-token", TestPods::isReady);
    assertTrue(
        Sandbox.NODE_NAMES.contains(running.getSpec().getNodeName()),
        running.getSpec().getNodeName());

    Path serviceAccount =
        sandbox
            .kubelet()
            .pod("default", "cp-token")
            .orElseThrow()
            .root()
            .resolve(InstanceLayout.SERVICE_ACCOUNT_DIR.substring(1));
    String token = Files.readString(serviceAccount.resolve("token"));
    String[] jwt = token.split("\\.");
    assertEquals(3, jwt.length, "a signed JWT");
    String claims = new String(Base64.getUrlDecoder().decode(jwt[1]));
    assertTrue(claims.contains("\"iss\":\"" + ControlPlane.SERVICE_ACCOUNT_ISSUER + "\""), claims);
    assertTrue(claims.contains("\"name\":\"cp-token\""), "bound to the pod: " + claims);
    assertTrue(Files.readString(serviceAccount.resolve("ca.crt")).contains("BEGIN CERTIFICATE"));

    // The token authenticates as the pod's service account, which RBAC lets read nothing.
    try (KubernetesClient asPod =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(sandbox.controlPlane().orElseThrow().admin().clientConfig())
                    .withClientCertData(null)
                    .withClientKeyData(null)
                    .withOauthToken(token)
                    .build())
            .build()) {
      KubernetesClientException denied =
          assertThrows(
              KubernetesClientException.class, () -> asPod.secrets().inNamespace("default").list());
      assertEquals(403, denied.getCode());
      assertTrue(
          denied.getMessage().contains("system:serviceaccount:default:default"),
          denied.getMessage());
    }
  }

  @Test
  void aDeletedPodGetsItsGracePeriodAndTheKubeletRemovesTheObject() {
    client.resource(TestPods.webPod("cp-graceful", "cp-graceful")).create();
    TestPods.await(client, "cp-graceful", TestPods::isReady);
    client.pods().inNamespace("default").withName("cp-graceful").withGracePeriod(20).delete();
    Pod terminating = client.pods().inNamespace("default").withName("cp-graceful").get();
    assertNotNull(terminating.getMetadata().getDeletionTimestamp(), "the API server only marks it");
    assertEquals(20L, terminating.getMetadata().getDeletionGracePeriodSeconds());
    // python exits on SIGTERM at once: the kubelet deletes the object (grace 0) well before the 20
    // s.
    client
        .pods()
        .inNamespace("default")
        .withName("cp-graceful")
        .waitUntilCondition(p -> p == null, 15, TimeUnit.SECONDS);
  }

  @Test
  void anUnauthenticatedRequestIsRefused() {
    try (KubernetesClient anonymous =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(sandbox.controlPlane().orElseThrow().admin().clientConfig())
                    .withClientCertData(null)
                    .withClientKeyData(null)
                    .withOauthToken("not-a-token")
                    .build())
            .build()) {
      KubernetesClientException refused =
          assertThrows(
              KubernetesClientException.class,
              () -> anonymous.pods().inNamespace("default").list());
      assertEquals(401, refused.getCode());
    }
  }
}
