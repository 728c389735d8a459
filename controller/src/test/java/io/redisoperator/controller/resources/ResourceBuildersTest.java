package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.crd.DurabilitySpec;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.SecretReference;
import io.redisoperator.protocol.crd.StorageType;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.Annotations;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceBuildersTest {
  static final String IMAGE = "example.org/redis-operator:test";

  static RedisCluster cluster(int instances) {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName("c");
    cluster.getMetadata().setNamespace("ns");
    cluster.getMetadata().setUid("uid-1");
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(instances);
    cluster.setSpec(spec);
    return cluster;
  }

  @Test
  void specHashChangesWithTheImageButNotWithLiveRedisSettings() {
    RedisCluster cluster = cluster(3);
    String before = InstancePodBuilder.desiredHash(cluster, 1, "c-auth", IMAGE);
    cluster.getSpec().setRedis(Map.of("maxmemory", "100mb"));
    assertEquals(
        before,
        InstancePodBuilder.desiredHash(cluster, 1, "c-auth", IMAGE),
        "live settings need no restart");
    cluster.getSpec().setImageName("redis:7.2.5");
    assertNotEquals(before, InstancePodBuilder.desiredHash(cluster, 1, "c-auth", IMAGE));
    Pod pod = InstancePodBuilder.build(cluster, 1, "c-auth", IMAGE);
    assertEquals(
        InstancePodBuilder.desiredHash(cluster, 1, "c-auth", IMAGE),
        pod.getMetadata().getAnnotations().get(Annotations.POD_SPEC_HASH));
    assertEquals("1", pod.getMetadata().getAnnotations().get(Annotations.ORDINAL));
  }

  @Test
  void aRestartRequestChangesEveryPodsHashAndOnlyANewOneDoes() {
    RedisCluster cluster = cluster(3);
    String before = InstancePodBuilder.desiredHash(cluster, 0, "c-auth", IMAGE);
    assertEquals(
        PodSpecHash.of(InstancePodBuilder.spec(cluster, 0, "c-auth", IMAGE)),
        before,
        "without a request the hash is the spec's alone, so upgrading the operator restarts nothing");
    cluster.getMetadata().setAnnotations(Map.of("other", "x"));
    assertEquals(before, InstancePodBuilder.desiredHash(cluster, 0, "c-auth", IMAGE));

    cluster.getMetadata().setAnnotations(Map.of(Annotations.RESTARTED_AT, "2026-12-04T21:00:00Z"));
    String first = InstancePodBuilder.desiredHash(cluster, 0, "c-auth", IMAGE);
    assertNotEquals(before, first);
    for (int ordinal = 1; ordinal < 3; ordinal++) {
      assertNotEquals(
          InstancePodBuilder.desiredHash(cluster(3), ordinal, "c-auth", IMAGE),
          InstancePodBuilder.desiredHash(cluster, ordinal, "c-auth", IMAGE),
          "every pod is out of date");
    }
    Pod pod = InstancePodBuilder.build(cluster, 0, "c-auth", IMAGE);
    assertEquals(first, pod.getMetadata().getAnnotations().get(Annotations.POD_SPEC_HASH));
    assertEquals(
        "2026-12-04T21:00:00Z", pod.getMetadata().getAnnotations().get(Annotations.RESTARTED_AT));
    assertEquals(
        first,
        InstancePodBuilder.desiredHash(cluster, 0, "c-auth", IMAGE),
        "the same request is done once");

    cluster.getMetadata().setAnnotations(Map.of(Annotations.RESTARTED_AT, "2026-12-04T22:00:00Z"));
    assertNotEquals(
        first,
        InstancePodBuilder.desiredHash(cluster, 0, "c-auth", IMAGE),
        "a new request restarts again");
    cluster.getMetadata().setAnnotations(Map.of(Annotations.RESTARTED_AT, " "));
    assertEquals(
        before,
        InstancePodBuilder.desiredHash(cluster, 0, "c-auth", IMAGE),
        "a blank value is no request");
  }

  @Test
  void backupCredentialsAndTheRestoreSourceAreMountedOnlyWhenTheClusterHasThem() {
    RedisCluster plain = cluster(2);
    Pod before = InstancePodBuilder.build(plain, 0, "c-auth", IMAGE);
    assertTrue(
        before.getSpec().getVolumes().stream()
            .noneMatch(
                v -> v.getName().equals("backup-credentials") || v.getName().equals("restore")));
    RedisCluster restored = cluster(2);
    restored
        .getSpec()
        .setBackup(
            new io.redisoperator.protocol.crd.BackupSpec(
                new io.redisoperator.protocol.crd.SecretReference("s3")));
    io.redisoperator.protocol.crd.BootstrapSpec bootstrap =
        new io.redisoperator.protocol.crd.BootstrapSpec();
    bootstrap.setBackup(new io.redisoperator.protocol.crd.BackupReference("nightly"));
    restored.getSpec().setBootstrap(bootstrap);
    Pod pod = InstancePodBuilder.build(restored, 0, "c-auth", IMAGE);
    var credentials =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("backup-credentials"))
            .findFirst()
            .orElseThrow();
    assertEquals("s3", credentials.getProjected().getSources().get(0).getSecret().getName());
    var restore =
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("restore"))
            .findFirst()
            .orElseThrow();
    assertEquals("c-restore", restore.getConfigMap().getName());
    assertTrue(
        restore.getConfigMap().getOptional() == null || !restore.getConfigMap().getOptional(),
        "pods wait for it");
    var mounts = pod.getSpec().getContainers().get(0).getVolumeMounts();
    assertTrue(
        mounts.stream()
            .anyMatch(
                m ->
                    m.getMountPath().equals("/etc/redis-operator/backup-credentials")
                        && m.getReadOnly()));
    assertTrue(
        mounts.stream()
            .anyMatch(
                m -> m.getMountPath().equals("/etc/redis-operator/restore") && m.getReadOnly()));
  }

  @Test
  void podCarriesNoSecretInItsEnvironmentAndMountsThemProjected() {
    Pod pod = InstancePodBuilder.build(cluster(1), 0, "user-secret", IMAGE);
    var container = pod.getSpec().getContainers().get(0);
    assertTrue(
        container.getEnv().stream()
            .allMatch(e -> e.getValue() != null || e.getValueFrom().getFieldRef() != null));
    assertTrue(
        pod.getSpec().getVolumes().stream()
            .anyMatch(
                v ->
                    v.getProjected() != null
                        && "user-secret"
                            .equals(v.getProjected().getSources().get(0).getSecret().getName())));
    assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
  }

  @Test
  void agentIsCopiedFromTheOperatorImageSoAnyRedisImageWorks() {
    RedisCluster cluster = cluster(1);
    cluster.getSpec().setImageName("redis:7.2.4");
    Pod pod = InstancePodBuilder.build(cluster, 0, "c-auth", IMAGE);
    var bootstrap = pod.getSpec().getInitContainers().get(0);
    assertEquals(InstanceLayout.BOOTSTRAP_CONTAINER, bootstrap.getName());
    assertEquals(IMAGE, bootstrap.getImage());
    assertEquals(InstanceLayout.BOOTSTRAP_DIR, bootstrap.getVolumeMounts().get(0).getMountPath());
    var redis = pod.getSpec().getContainers().get(0);
    assertEquals("redis:7.2.4", redis.getImage());
    assertEquals(List.of(InstanceLayout.AGENT_COMMAND, "instance"), redis.getCommand());
    assertTrue(
        redis.getVolumeMounts().stream()
            .anyMatch(m -> m.getMountPath().equals(InstanceLayout.BOOTSTRAP_DIR)));
    assertTrue(
        pod.getSpec().getShareProcessNamespace(), "a pause PID 1 reaps orphaned redis forks");
    assertNotEquals(
        InstancePodBuilder.desiredHash(cluster, 0, "c-auth", IMAGE),
        InstancePodBuilder.desiredHash(cluster, 0, "c-auth", IMAGE + "-next"),
        "an operator upgrade rolls the pods onto the new agent");
  }

  @Test
  void emptyDirStorageUsesNoClaim() {
    RedisCluster cluster = cluster(1);
    cluster.getSpec().getStorage().setType(StorageType.EMPTY_DIR);
    Pod pod = InstancePodBuilder.build(cluster, 0, "c-auth", IMAGE);
    assertTrue(
        pod.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("data"))
            .allMatch(v -> v.getEmptyDir() != null));
  }

  @Test
  void pvcsAreOwnedOnlyWhenTheyShouldBeDeletedWithTheCluster() {
    RedisCluster cluster = cluster(1);
    assertTrue(InstancePvcBuilder.build(cluster, 0).getMetadata().getOwnerReferences().isEmpty());
    cluster.getMetadata().setAnnotations(Map.of(Annotations.DELETE_PVCS_ON_DELETE, "true"));
    assertEquals(
        "uid-1",
        InstancePvcBuilder.build(cluster, 0).getMetadata().getOwnerReferences().get(0).getUid());
  }

  @Test
  void disruptionBudgetsProtectThePrimaryAndAllButOneReplica() {
    var pdbs = DisruptionBudgets.build(cluster(5));
    assertEquals(1, pdbs.get(0).getSpec().getMinAvailable().getIntVal());
    assertEquals(3, pdbs.get(1).getSpec().getMinAvailable().getIntVal());
    assertEquals(
        0, DisruptionBudgets.build(cluster(1)).get(1).getSpec().getMinAvailable().getIntVal());
  }

  @Test
  void agentRoleOnlyReadsItsOwnClusterAndPodsAndNoSecret() {
    var rules = AgentRbac.rules("c");
    assertEquals("c", rules.get(0).getResourceNames().get(0));
    assertEquals(RedisClusterSpec.MAX_INSTANCES, rules.get(1).getResourceNames().size());
    // The sentinel agent's informer lists and watches pods by label, which RBAC cannot limit to
    // names.
    assertEquals(java.util.List.of("list", "watch"), rules.get(2).getVerbs());
    assertEquals(java.util.List.of("pods"), rules.get(2).getResources());
    assertTrue(
        rules.stream()
            .flatMap(r -> r.getResources().stream())
            .allMatch(r -> r.equals("pods") || r.equals("redisclusters")));
    assertTrue(
        rules.stream()
            .flatMap(r -> r.getVerbs().stream())
            .noneMatch(v -> v.equals("update") || v.equals("patch")));
  }

  @Test
  void generatedSecretsAreRandomAndTheSpecIsNotMutated() {
    RedisCluster cluster = cluster(1);
    Secret a = ClusterSecrets.generatedAuth(cluster);
    Secret b = ClusterSecrets.generatedAuth(cluster);
    String password = ClusterSecrets.value(a, "password").orElseThrow();
    assertTrue(password.length() >= 43);
    assertNotEquals(password, ClusterSecrets.value(b, "password").orElseThrow());
    assertEquals("c-auth", ClusterSecrets.authSecretName(cluster));
    cluster.getSpec().setAuthSecret(new SecretReference("mine"));
    assertEquals("mine", ClusterSecrets.authSecretName(cluster));
  }

  @Test
  void settingsCarryDirectivesAndDurability() throws Exception {
    RedisCluster cluster = cluster(3);
    cluster.getSpec().setRedis(Map.of("maxmemory", "1gb"));
    cluster.getSpec().setDurability(new DurabilitySpec());
    String json = SettingsConfigMapBuilder.data(cluster).get("settings.json");
    InstanceSettings settings = Json.mapper().readValue(json, InstanceSettings.class);
    assertEquals(Map.of("maxmemory", "1gb"), settings.redisDirectives());
    assertEquals(1, settings.minReplicasToWrite());
    assertEquals(10, settings.minReplicasMaxLagSeconds());
  }

  @Test
  void servicesSelectByRoleAndWorkload() {
    var services = ClusterServices.build(cluster(1));
    assertEquals("c-leader", services.get(0).getMetadata().getName());
    assertEquals("primary", services.get(0).getSpec().getSelector().get("redis.io/role"));
    assertEquals(
        null, services.get(0).getSpec().getClusterIP(), "clusterIP is left to the API server");
  }
}
