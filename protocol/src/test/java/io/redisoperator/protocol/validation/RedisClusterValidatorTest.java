package io.redisoperator.protocol.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.redisoperator.protocol.crd.DurabilitySpec;
import io.redisoperator.protocol.crd.FailoverSpec;
import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.SecretReference;
import io.redisoperator.protocol.crd.StorageType;
import io.redisoperator.protocol.crd.TlsSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisClusterValidatorTest {

  static RedisCluster cluster(String name, Consumer<RedisClusterSpec> customize) {
    RedisCluster cluster = new RedisCluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(3);
    customize.accept(spec);
    cluster.setSpec(spec);
    return cluster;
  }

  static List<String> fields(RedisCluster cluster) {
    return RedisClusterValidator.validate(cluster).stream().map(FieldError::field).toList();
  }

  @Test
  void storageCannotChangeFromTheLastAcceptedSpec() {
    RedisCluster c = cluster("c", s -> s.getStorage().setSize("2Gi"));
    io.redisoperator.protocol.crd.RedisClusterStatus status =
        new io.redisoperator.protocol.crd.RedisClusterStatus();
    RedisClusterSpec accepted = new RedisClusterSpec();
    accepted.setInstances(3);
    status.setLastValidSpec(accepted);
    c.setStatus(status);
    assertEquals(List.of("spec.storage"), fields(c));
    c.getSpec().getStorage().setSize(accepted.getStorage().getSize());
    c.getSpec().setInstances(5); // other fields may change
    assertEquals(List.of(), fields(c));
  }

  @Test
  void defaultsAreValid() {
    assertEquals(List.of(), RedisClusterValidator.validate(cluster("cache", s -> {})));
  }

  @Test
  void bootstrapNeedsExactlyOneSourceAndCredentials() {
    io.redisoperator.protocol.crd.BootstrapSpec both =
        new io.redisoperator.protocol.crd.BootstrapSpec();
    both.setBackup(new io.redisoperator.protocol.crd.BackupReference("b"));
    both.setSource(new io.redisoperator.protocol.crd.BackupObjectSource());
    assertEquals(
        List.of(
            "spec.bootstrap",
            "spec.backup.credentialsSecret",
            "spec.bootstrap.source.store.bucket",
            "spec.bootstrap.source.key"),
        fields(cluster("c", s -> s.setBootstrap(both))));
    io.redisoperator.protocol.crd.BootstrapSpec byName =
        new io.redisoperator.protocol.crd.BootstrapSpec();
    byName.setBackup(new io.redisoperator.protocol.crd.BackupReference("b"));
    assertEquals(
        List.of(),
        fields(
            cluster(
                "c",
                s -> {
                  s.setBootstrap(byName);
                  s.setBackup(
                      new io.redisoperator.protocol.crd.BackupSpec(
                          new io.redisoperator.protocol.crd.SecretReference("s3")));
                })));
    assertEquals(
        List.of("spec.backup.credentialsSecret.name"),
        fields(
            cluster(
                "c",
                s ->
                    s.setBackup(
                        new io.redisoperator.protocol.crd.BackupSpec(
                            new io.redisoperator.protocol.crd.SecretReference("Bad Name"))))));
  }

  @Test
  void theTlsMigrationPortIsAFreePortOfItsOwn() {
    for (int good : new int[] {6380, 1024, 65535}) {
      assertEquals(List.of(), fields(cluster("cache", s -> s.setTls(migration(good)))), "" + good);
    }
    for (int bad : new int[] {6379, 8000, 8001, 26379, 80, 70000}) {
      assertEquals(
          List.of("spec.tls.plaintextPort"),
          fields(cluster("cache", s -> s.setTls(migration(bad)))),
          "" + bad);
    }
  }

  private static TlsSpec migration(int plaintextPort) {
    TlsSpec tls = new TlsSpec();
    tls.setPlaintextPort(plaintextPort);
    return tls;
  }

  @Test
  void tlsNeedsServerAndCaTogetherAndWorksWithSentinel() {
    assertEquals(
        List.of(), fields(cluster("cache", s -> s.setTls(new TlsSpec()))), "operator-issued");
    assertEquals(
        List.of("spec.tls"),
        fields(
            cluster(
                "cache",
                s -> {
                  TlsSpec tls = new TlsSpec();
                  tls.setServerSecret(new SecretReference("server"));
                  s.setTls(tls);
                })));
    assertEquals(
        List.of("spec.tls.caSecret.name", "spec.tls.clientSecret"),
        fields(
            cluster(
                "cache",
                s -> {
                  TlsSpec tls = new TlsSpec();
                  tls.setServerSecret(new SecretReference("server"));
                  tls.setCaSecret(new SecretReference("Bad_Name"));
                  tls.setClientSecret("also bad");
                  s.setTls(tls);
                })));
    assertEquals(
        List.of(),
        fields(
            cluster(
                "cache",
                s -> {
                  s.setMode(Mode.SENTINEL);
                  s.setTls(new TlsSpec());
                })),
        "Sentinel speaks TLS too");
    assertEquals(
        List.of("spec.tls.plaintextPort"),
        fields(
            cluster(
                "cache",
                s -> {
                  s.setMode(Mode.SENTINEL);
                  s.setTls(migration(6380));
                })),
        "no migration mode with Sentinel");
  }

  @Test
  void missingSpecIsReported() {
    RedisCluster cluster = cluster("cache", s -> {});
    cluster.setSpec(null);
    assertEquals(List.of("spec"), fields(cluster));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Cache", "-cache", "cache-", "ca_che", "", "cache-sentinel"})
  void clusterNameMustBeADnsLabel(String name) {
    assertEquals(List.of("metadata.name"), fields(cluster(name, s -> {})));
  }

  @Test
  void clusterNameMustLeaveRoomForDerivedNames() {
    assertEquals(List.of("metadata.name"), fields(cluster("a".repeat(51), s -> {})));
    assertEquals(List.of(), fields(cluster("a".repeat(50), s -> {})));
  }

  @Test
  void instancesAreRequiredAndBounded() {
    assertEquals(List.of("spec.instances"), fields(cluster("c", s -> s.setInstances(null))));
    assertEquals(List.of("spec.instances"), fields(cluster("c", s -> s.setInstances(0))));
    assertEquals(List.of("spec.instances"), fields(cluster("c", s -> s.setInstances(65))));
    assertEquals(List.of(), fields(cluster("c", s -> s.setInstances(1))));
  }

  @Test
  void clusterModeIsRejectedWithAClearMessage() {
    List<FieldError> errors =
        RedisClusterValidator.validate(cluster("c", s -> s.setMode(Mode.CLUSTER)));
    assertEquals("spec.mode", errors.get(0).field());
    assertTrue(errors.get(0).message().contains("not implemented"), errors.get(0).message());
  }

  @Test
  void sentinelModeNeedsThreeInstances() {
    assertEquals(
        List.of("spec.instances"),
        fields(
            cluster(
                "c",
                s -> {
                  s.setMode(Mode.SENTINEL);
                  s.setInstances(2);
                })));
    assertEquals(List.of(), fields(cluster("c", s -> s.setMode(Mode.SENTINEL))));
  }

  @Test
  void imageMayNotContainSpaces() {
    assertEquals(List.of("spec.imageName"), fields(cluster("c", s -> s.setImageName("redis 7"))));
    assertEquals(List.of("spec.imageName"), fields(cluster("c", s -> s.setImageName(" "))));
  }

  @Test
  void pvcStorageNeedsAPositiveQuantity() {
    assertEquals(
        List.of("spec.storage.size"), fields(cluster("c", s -> s.getStorage().setSize("lots"))));
    assertEquals(
        List.of("spec.storage.size"), fields(cluster("c", s -> s.getStorage().setSize("0Gi"))));
    assertEquals(
        List.of("spec.storage.size"), fields(cluster("c", s -> s.getStorage().setSize(null))));
    assertEquals(
        List.of("spec.storage.storageClassName"),
        fields(cluster("c", s -> s.getStorage().setStorageClassName("Fast SSD"))));
  }

  @Test
  void emptyDirStorageIgnoresSize() {
    assertEquals(
        List.of(),
        fields(
            cluster(
                "c",
                s -> {
                  s.getStorage().setType(StorageType.EMPTY_DIR);
                  s.getStorage().setSize(null);
                })));
  }

  @Test
  void requestsMayNotExceedLimits() {
    assertEquals(
        List.of("spec.resources.requests.memory"),
        fields(
            cluster(
                "c",
                s ->
                    s.setResources(
                        new ResourceRequirementsBuilder()
                            .withRequests(Map.of("memory", new Quantity("2Gi")))
                            .withLimits(Map.of("memory", new Quantity("1Gi")))
                            .build()))));
  }

  @Test
  void operatorOwnedDirectivesAreRejected() {
    for (String owned :
        List.of(
            "bind",
            "port",
            "dir",
            "requirepass",
            "masterauth",
            "replicaof",
            "aclfile",
            "tls-port")) {
      assertEquals(
          List.of("spec.redis." + owned),
          fields(cluster("c", s -> s.setRedis(Map.of(owned, "x")))),
          owned);
    }
  }

  @Test
  void injectionThroughDirectiveValuesIsRejected() {
    assertEquals(
        List.of("spec.redis.maxmemory"),
        fields(cluster("c", s -> s.setRedis(Map.of("maxmemory", "1gb\nrequirepass hacked")))));
    assertEquals(
        List.of("spec.redis.maxmemory"),
        fields(cluster("c", s -> s.setRedis(Map.of("maxmemory", "1gb\"")))));
    assertEquals(
        List.of("spec.redis.MAXMEMORY"),
        fields(cluster("c", s -> s.setRedis(Map.of("MAXMEMORY", "1gb")))));
    assertEquals(
        List.of("spec.redis.maxmemory"),
        fields(cluster("c", s -> s.setRedis(Map.of("maxmemory", "")))));
  }

  @Test
  void ordinaryDirectivesAreAccepted() {
    assertEquals(
        List.of(),
        fields(
            cluster(
                "c",
                s -> s.setRedis(Map.of("maxmemory", "1gb", "maxmemory-policy", "allkeys-lru")))));
  }

  @Test
  void authSecretMustBeASecretName() {
    assertEquals(
        List.of("spec.authSecret.name"),
        fields(cluster("c", s -> s.setAuthSecret(new SecretReference("No!")))));
    assertEquals(
        List.of(), fields(cluster("c", s -> s.setAuthSecret(new SecretReference("my-secret")))));
  }

  @Test
  void usersNameTheFieldOfEveryProblem() {
    assertEquals(
        List.of(),
        fields(
            cluster(
                "c",
                s ->
                    s.setUsers(
                        List.of(
                            new io.redisoperator.protocol.crd.RedisUserSpec(
                                "app", "~app:* +@read", new SecretReference("app-pw")),
                            new io.redisoperator.protocol.crd.RedisUserSpec(
                                "default", "off", null))))));
    assertEquals(
        List.of(
            "spec.users[0].rules",
            "spec.users[1].name",
            "spec.users[1].passwordSecret",
            "spec.users[2].name"),
        fields(
            cluster(
                "c",
                s ->
                    s.setUsers(
                        List.of(
                            new io.redisoperator.protocol.crd.RedisUserSpec(
                                "app", "~app:* >inline-password", new SecretReference("app-pw")),
                            new io.redisoperator.protocol.crd.RedisUserSpec(
                                "redis-operator-agent", "+@all", null),
                            new io.redisoperator.protocol.crd.RedisUserSpec(
                                "app", "", new SecretReference("other")))))));
  }

  @Test
  void failoverSettingsAreBounded() {
    FailoverSpec tooFast = new FailoverSpec();
    tooFast.setPollIntervalMillis(10);
    tooFast.setFailureThreshold(1);
    assertEquals(
        List.of("spec.failover.pollIntervalMillis", "spec.failover.failureThreshold"),
        fields(cluster("c", s -> s.setFailover(tooFast))));
  }

  @Test
  void durabilityCannotDemandMoreReplicasThanExist() {
    DurabilitySpec durability = new DurabilitySpec();
    durability.setMinReplicasToWrite(3);
    List<FieldError> errors =
        RedisClusterValidator.validate(cluster("c", s -> s.setDurability(durability)));
    assertEquals(
        List.of("spec.durability.minReplicasToWrite"),
        errors.stream().map(FieldError::field).toList());
    assertTrue(errors.get(0).message().contains("only 2 replicas"), errors.get(0).message());
    durability.setMinReplicasToWrite(2);
    assertEquals(List.of(), fields(cluster("c", s -> s.setDurability(durability))));
    durability.setMinReplicasMaxLagSeconds(0);
    assertEquals(
        List.of("spec.durability.minReplicasMaxLagSeconds"),
        fields(cluster("c", s -> s.setDurability(durability))));
  }
}
