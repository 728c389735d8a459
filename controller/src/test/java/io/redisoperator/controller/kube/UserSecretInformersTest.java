package io.redisoperator.controller.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.redisoperator.controller.support.MockApi;
import io.redisoperator.controller.support.MockServers;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.crd.RedisUserSpec;
import io.redisoperator.protocol.crd.SecretReference;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UserSecretInformersTest {
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

  private static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes());
  }

  private static Secret secret(String name, String password) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace("ns")
        .withName(name)
        .withResourceVersion("7")
        .endMetadata()
        .withData(Map.of("password", b64(password), "other", b64("x".repeat(4096))))
        .build();
  }

  @Test
  void theCacheKeepsOnlyIdentityVersionAndPassword() {
    Secret trimmed = UserSecretInformers.trimmed(secret("app", "s3cret"));
    assertEquals("ns", trimmed.getMetadata().getNamespace());
    assertEquals("app", trimmed.getMetadata().getName());
    assertEquals("7", trimmed.getMetadata().getResourceVersion());
    assertEquals(Map.of("password", b64("s3cret")), trimmed.getData());
    Secret noPassword = secret("tls", "x");
    noPassword.setData(Map.of("tls.crt", b64("cert")));
    assertEquals(Map.of(), UserSecretInformers.trimmed(noPassword).getData());
  }

  @Test
  void aSpecReadsItsAuthSecretAndItsUsersPasswordSecrets() {
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setAuthSecret(new SecretReference("auth"));
    spec.setUsers(
        List.of(
            new RedisUserSpec("app", "+@read", new SecretReference("app-pw")),
            new RedisUserSpec("off", "off", null)));
    assertEquals(Set.of("auth", "app-pw"), UserSecretInformers.referencedBy(spec));
    assertTrue(UserSecretInformers.referencedBy(null).isEmpty());
  }

  /** A Secret the last valid spec still names wakes the cluster too (an invalid edit pending). */
  @Test
  void aClusterIsIndexedUnderTheSecretsOfItsSpecAndOfItsLastValidSpec() {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setNamespace("ns");
    cluster.getMetadata().setName("c");
    cluster.getSpec().setAuthSecret(new SecretReference("auth"));
    RedisClusterSpec lastValid = new RedisClusterSpec();
    lastValid.setAuthSecret(new SecretReference("auth"));
    lastValid.setUsers(List.of(new RedisUserSpec("app", "+@read", new SecretReference("old-pw"))));
    RedisClusterStatus status = new RedisClusterStatus();
    status.setLastValidSpec(lastValid);
    cluster.setStatus(status);
    assertEquals(List.of("ns/auth", "ns/old-pw"), InformerHub.userSecretKeys(cluster));

    cluster.setStatus(null);
    assertEquals(List.of("ns/auth"), InformerHub.userSecretKeys(cluster));
  }

  /**
   * A user Secret is read from the cache, and its change wakes the clusters naming it, and only
   * them.
   */
  @Test
  void aChangedUserSecretWakesTheClustersNamingIt() throws Exception {
    MockApi.installCrd(client);
    client.resource(secret("app-pw", "one")).create();
    RedisCluster naming = new RedisCluster();
    naming.getMetadata().setNamespace("ns");
    naming.getMetadata().setName("naming");
    naming
        .getSpec()
        .setUsers(List.of(new RedisUserSpec("app", "+@read", new SecretReference("app-pw"))));
    client.resource(naming).create();
    RedisCluster other = new RedisCluster();
    other.getMetadata().setNamespace("ns");
    other.getMetadata().setName("other");
    client.resource(other).create();

    List<String> woken = new CopyOnWriteArrayList<>();
    SyncGate gate = new SyncGate(wakingInto(woken));
    try (InformerHub hub = new InformerHub(client, List.of(), gate)) {
      hub.start(30_000);
      gate.open(hub::clusters);
      assertEquals(
          Map.of("password", b64("one")), hub.userSecret("ns", "app-pw").orElseThrow().getData());

      client
          .secrets()
          .inNamespace("ns")
          .withName("app-pw")
          .edit(s -> new SecretBuilder(s).addToData("password", b64("two")).build());

      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  hub.userSecret("ns", "app-pw")
                      .map(s -> s.getData().get("password"))
                      .filter(b64("two")::equals)
                      .isPresent());
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> woken.contains("ns/naming"));
      assertTrue(!woken.contains("ns/other"), woken.toString());
    }
  }

  /**
   * The user Secret informers leave the operator's own Secrets out (the owned cache has them): one
   * a cluster names anyway (another cluster's generated password) is still found, and its change
   * still wakes the cluster naming it.
   */
  @Test
  void anOperatorSecretACLusterNamesIsReadFromTheOwnedCache() throws Exception {
    MockApi.installCrd(client);
    Secret generated = secret("first-auth", "one");
    generated
        .getMetadata()
        .setLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE, Labels.CLUSTER, "first"));
    client.resource(generated).create();
    RedisCluster sharing = new RedisCluster();
    sharing.getMetadata().setNamespace("ns");
    sharing.getMetadata().setName("sharing");
    sharing.getSpec().setAuthSecret(new SecretReference("first-auth"));
    client.resource(sharing).create();

    try (UserSecretInformers userOnly =
        new UserSecretInformers(client, List.of("ns"), (n, s) -> {})) {
      userOnly.start().forEach(CompletableFuture::join);
      assertTrue(userOnly.get("ns", "first-auth").isEmpty(), "not listed by the user informers");
    }

    List<String> woken = new CopyOnWriteArrayList<>();
    SyncGate gate = new SyncGate(wakingInto(woken));
    try (InformerHub hub = new InformerHub(client, List.of(), gate)) {
      hub.start(30_000);
      gate.open(hub::clusters);
      assertEquals(
          Map.of("password", b64("one")),
          hub.userSecret("ns", "first-auth").orElseThrow().getData(),
          "trimmed as a user Secret is");

      client
          .secrets()
          .inNamespace("ns")
          .withName("first-auth")
          .edit(x -> new SecretBuilder(x).addToData("password", b64("two")).build());
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> woken.contains("ns/sharing"));
      assertEquals(
          b64("two"), hub.userSecret("ns", "first-auth").orElseThrow().getData().get("password"));
    }
  }

  private static ResourceListener wakingInto(List<String> woken) {
    return new ResourceListener() {
      @Override
      public void clusterChanged(RedisCluster cluster) {}

      @Override
      public void clusterDeleted(String namespace, String name) {}

      @Override
      public void ownedChanged(String namespace, String cluster) {
        woken.add(namespace + "/" + cluster);
      }

      @Override
      public void nodesChanged() {}
    };
  }
}
