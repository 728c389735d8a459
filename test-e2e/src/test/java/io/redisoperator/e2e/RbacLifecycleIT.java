package io.redisoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.ResourceNames;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One TLS cluster's whole life under exactly the chart's RBAC (the controller) and the operator's
 * agent Role (every agent): failover, switchover, password rotation, certificate rotation, scale up
 * and down, hibernation; after each step the API server's audit log must show no request of the
 * operator or an agent refused (401/403). Beside it, a second cluster's agent identity is shown to
 * be confined: its token reads its own RedisCluster but no Secret, and nothing of the first cluster
 * by name.
 */
@Tag("chaos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbacLifecycleIT extends ScenarioIT {
  private static final String OTHER = "other";

  @Override
  String scenario() {
    return "rbac-lifecycle";
  }

  @Override
  void customize(RedisClusterSpec spec) {
    spec.setTls(new TlsSpec());
  }

  @Test
  @Order(1)
  void failover() {
    String oldPrimary = cluster.get().getStatus().getCurrentPrimary();
    env.faults().forceDeletePod(NAMESPACE, oldPrimary);
    awaitHealthy(
        c -> !oldPrimary.equals(c.getStatus().getCurrentPrimary()),
        "a failover away from " + oldPrimary);
    assertNothingRefused("failover");
  }

  @Test
  @Order(2)
  void switchover() {
    String primary = cluster.get().getStatus().getCurrentPrimary();
    String target =
        cluster.pods().keySet().stream().filter(p -> !p.equals(primary)).findFirst().orElseThrow();
    annotate(Annotations.SWITCHOVER_TO, target);
    awaitHealthy(
        c -> target.equals(c.getStatus().getCurrentPrimary()), "a switchover to " + target);
    assertNothingRefused("switchover");
  }

  @Test
  @Order(3)
  void passwordRotation() {
    String newPassword = "rotated-" + Long.toHexString(System.nanoTime());
    env.client()
        .secrets()
        .inNamespace(NAMESPACE)
        .withName(cluster.authSecretName())
        .edit(
            s ->
                new SecretBuilder(s)
                    .addToData(
                        "password",
                        Base64.getEncoder()
                            .encodeToString(newPassword.getBytes(StandardCharsets.UTF_8)))
                    .build());
    assertTrue(
        pollUntil(
            () -> {
              try (StatefulRedisConnection<String, String> c =
                  cluster.connect(cluster.leader(), newPassword)) {
                return "OK".equals(c.sync().set("after-rotation", "1"));
              } catch (RuntimeException e) {
                return false;
              }
            },
            Duration.ofMinutes(2)),
        "the new password is accepted");
    assertNothingRefused("password rotation");
  }

  @Test
  @Order(4)
  void certificateRotation() throws Exception {
    String name = ResourceNames.redisTlsSecret(CLUSTER);
    Secret before = env.client().secrets().inNamespace(NAMESPACE).withName(name).get();
    BigInteger oldSerial = serial(before);
    assertEquals(
        oldSerial, servedSerial(cluster.leader()), "Redis serves the certificate of " + name);
    // Deleting the server certificate's Secret makes the operator issue a new one from its CA; the
    // agents apply it live.
    env.client().secrets().inNamespace(NAMESPACE).withName(name).delete();
    assertTrue(
        pollUntil(
            () -> {
              Secret now = env.client().secrets().inNamespace(NAMESPACE).withName(name).get();
              return now != null
                  && !now.getMetadata().getUid().equals(before.getMetadata().getUid());
            },
            Duration.ofMinutes(1)),
        "the operator issued " + name + " again");
    BigInteger newSerial =
        serial(env.client().secrets().inNamespace(NAMESPACE).withName(name).get());
    assertNotEquals(oldSerial, newSerial);
    assertTrue(
        pollUntil(
            () -> newSerial.equals(servedSerialOrNull(cluster.leader())), Duration.ofMinutes(2)),
        "Redis serves the new certificate");
    awaitHealthy(c -> true, "healthy after the certificate rotation");
    assertNothingRefused("certificate rotation");
  }

  @Test
  @Order(5)
  void scaleUpAndDown() {
    scaleTo(INSTANCES + 1);
    awaitHealthy(c -> cluster.pods().size() == INSTANCES + 1, "scaled up to " + (INSTANCES + 1));
    scaleTo(INSTANCES);
    awaitHealthy(c -> cluster.pods().size() == INSTANCES, "scaled down to " + INSTANCES);
    assertNothingRefused("scale");
  }

  @Test
  @Order(6)
  void hibernation() {
    coldRestartExpected = true;
    annotate(Annotations.HIBERNATION, "on");
    assertTrue(
        pollUntil(() -> cluster.pods().isEmpty(), Duration.ofMinutes(2)),
        "pods removed on hibernation");
    annotate(Annotations.HIBERNATION, "off");
    awaitHealthy(
        c ->
            cluster.pods().size() == INSTANCES
                && cluster.pods().values().stream().allMatch(PodReadiness::isReady),
        "awake");
    assertTrue(Invariants.missingKeys(cluster, preFaultKeys) == 0, "the data survived hibernation");
    assertNothingRefused("hibernation");
  }

  @Test
  @Order(7)
  void anAgentTokenReadsNoSecretAndNothingOfAnotherCluster() throws Exception {
    RedisClusterFixture other = new RedisClusterFixture(env, NAMESPACE, OTHER);
    try {
      other.create(1);
      // The other cluster's agents' identity: a token of their ServiceAccount, as the kubelet
      // projects it.
      String token =
          env.client()
              .serviceAccounts()
              .inNamespace(NAMESPACE)
              .withName(ResourceNames.serviceAccount(OTHER))
              .tokenRequest(
                  new TokenRequestBuilder()
                      .withNewSpec()
                      .withExpirationSeconds(600L)
                      .endSpec()
                      .build())
              .getStatus()
              .getToken();
      try (KubernetesClient agent = clientWithToken(token)) {
        assertEquals(
            OTHER,
            agent
                .resources(RedisCluster.class)
                .inNamespace(NAMESPACE)
                .withName(OTHER)
                .get()
                .getMetadata()
                .getName(),
            "the token works: it reads its own cluster");
        assertForbidden(
            () -> agent.secrets().inNamespace(NAMESPACE).withName(cluster.authSecretName()).get(),
            "the first cluster's password Secret");
        assertForbidden(
            () ->
                agent
                    .secrets()
                    .inNamespace(NAMESPACE)
                    .withName(ResourceNames.redisCaSecret(CLUSTER))
                    .get(),
            "the first cluster's Redis CA");
        assertForbidden(
            () ->
                agent
                    .secrets()
                    .inNamespace(NAMESPACE)
                    .withName(ResourceNames.generatedAuthSecret(OTHER))
                    .get(),
            "its own cluster's password Secret (projected into its pods, never read through the API)");
        assertForbidden(
            () -> agent.secrets().inNamespace(NAMESPACE).list(), "the namespace's Secrets");
        assertForbidden(
            () ->
                agent.resources(RedisCluster.class).inNamespace(NAMESPACE).withName(CLUSTER).get(),
            "the first RedisCluster");
        assertForbidden(
            () ->
                agent
                    .pods()
                    .inNamespace(NAMESPACE)
                    .withName(ResourceNames.podName(CLUSTER, 0))
                    .get(),
            "a pod of the first cluster by name");
      }
    } finally {
      other.client().resources(RedisCluster.class).inNamespace(NAMESPACE).withName(OTHER).delete();
      other.close();
    }
    // The refusals above were the test's own, asked with the agent's identity: they are the only
    // ones.
    List<String> refused =
        env.refusedWorkloadRequests().stream()
            .filter(
                r ->
                    !r.contains(
                        "system:serviceaccount:"
                            + NAMESPACE
                            + ":"
                            + ResourceNames.serviceAccount(OTHER)
                            + " "))
            .toList();
    assertTrue(refused.isEmpty(), refused.size() + " refused: " + refused);
  }

  private KubernetesClient clientWithToken(String token) {
    Config admin = env.client().getConfiguration();
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(Config.empty())
                .withMasterUrl(admin.getMasterUrl())
                .withCaCertData(admin.getCaCertData())
                .withCaCertFile(admin.getCaCertFile())
                .withOauthToken(token)
                .withHttp2Disable(true)
                .withRequestTimeout(10_000)
                .build())
        .build();
  }

  private static void assertForbidden(Supplier<Object> request, String what) {
    try {
      request.get();
    } catch (KubernetesClientException e) {
      assertEquals(403, e.getCode(), what + ": " + e.getMessage());
      return;
    }
    throw new AssertionError(what + " was readable with an agent's token");
  }

  private void awaitHealthy(java.util.function.Predicate<RedisCluster> extra, String what) {
    assertTrue(awaitRecovery(System.nanoTime(), null, extra, Duration.ofMinutes(4)) >= 0, what);
  }

  private void assertNothingRefused(String step) {
    List<String> refused = env.refusedWorkloadRequests();
    assertTrue(
        refused.isEmpty(),
        step
            + ": "
            + refused.size()
            + " API requests of the operator or an agent refused,"
            + " first: "
            + (refused.isEmpty() ? "" : refused.get(0))
            + " (logs: "
            + env.logsLocation()
            + ")");
  }

  private void scaleTo(int instances) {
    env.client()
        .resources(RedisCluster.class)
        .inNamespace(NAMESPACE)
        .withName(CLUSTER)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            io.fabric8.kubernetes.client.utils.Serialization.asJson(
                Map.of("spec", Map.of("instances", instances))));
  }

  private static BigInteger serial(Secret secret) throws Exception {
    byte[] pem = Base64.getDecoder().decode(secret.getData().get("tls.crt"));
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
    return cert.getSerialNumber();
  }

  private static BigInteger servedSerialOrNull(InetSocketAddress address) {
    try {
      return servedSerial(address);
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * The serial of the certificate Redis presents (trust is not the point here: which certificate it
   * is).
   */
  private static BigInteger servedSerial(InetSocketAddress address) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(address, 2000);
      socket.setSoTimeout(2000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }
}
