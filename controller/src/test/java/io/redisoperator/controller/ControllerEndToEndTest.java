package io.redisoperator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.redisoperator.controller.support.FakeAgent;
import io.redisoperator.controller.support.MockApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The controller end to end against the fabric8 CRUD mock: the test plays kubelet (pod IP, phase,
 * Ready) and runs a fake agent per pod on 127.0.20-29.x:8000. What it makes of a cluster: every
 * object, the status, scaling, a recreated pod, an invalid spec.
 */
class ControllerEndToEndTest extends OperatorOnMockTest {
  @Override
  String namespacePrefix() {
    return "t-";
  }

  @Override
  boolean startsWithOperator() {
    return false;
  }

  @Test
  void createsEveryObjectWithTheExpectedSpec() throws Exception {
    operator = startOperator();
    client.resource(MockApi.cluster(ns, "alpha", 3)).create();
    awaitHealthy("alpha", 3);

    RedisCluster cluster = get("alpha");
    assertEquals("alpha-0", cluster.getStatus().getCurrentPrimary());
    assertTrue(Conditions.isTrue(cluster.getStatus().getConditions(), ConditionType.READY));
    assertTrue(
        Conditions.isTrue(cluster.getStatus().getConditions(), ConditionType.PRIMARY_AVAILABLE));
    assertEquals(1L, cluster.getStatus().getObservedGeneration());

    // RBAC: read-only, namespaced, limited by name but for the list and watch of pods (the
    // sentinel's informer).
    assertNotNull(client.serviceAccounts().inNamespace(ns).withName("alpha-instance").get());
    Role role = client.rbac().roles().inNamespace(ns).withName("alpha-instance").get();
    assertTrue(
        role.getRules().stream()
            .allMatch(
                r ->
                    r.getVerbs().stream()
                        .allMatch(v -> List.of("get", "list", "watch").contains(v))));
    assertTrue(
        role.getRules().stream()
            .allMatch(
                r ->
                    !r.getResourceNames().isEmpty()
                        || (r.getResources().equals(List.of("pods"))
                            && r.getVerbs().equals(List.of("list", "watch")))));
    assertNotNull(client.rbac().roleBindings().inNamespace(ns).withName("alpha-instance").get());

    // Secrets: the agent CA, one agent certificate per pod, a generated strong password; status
    // records versions.
    Secret auth = client.secrets().inNamespace(ns).withName("alpha-auth").get();
    String password =
        new String(
            Base64.getDecoder().decode(auth.getData().get(InstanceLayout.SECRET_KEY_PASSWORD)));
    assertTrue(password.length() >= 40, "password is long and random");
    Secret agentCa = client.secrets().inNamespace(ns).withName("alpha-agent-ca").get();
    assertNotNull(agentCa);
    assertEquals(
        agentCa.getMetadata().getResourceVersion(),
        cluster.getStatus().getSecretsResourceVersion().get("alpha-agent-ca"));
    assertNotNull(client.secrets().inNamespace(ns).withName("alpha-0-agent-tls").get());
    List<String> mountedSecrets =
        client.pods().inNamespace(ns).withName("alpha-0").get().getSpec().getVolumes().stream()
            .filter(v -> v.getProjected() != null)
            .flatMap(v -> v.getProjected().getSources().stream())
            .filter(src -> src.getSecret() != null)
            .map(src -> src.getSecret().getName())
            .toList();
    assertEquals(
        List.of("alpha-operator-auth", "alpha-acl", "alpha-0-agent-tls"),
        mountedSecrets,
        "a pod mounts its own certificate, never the CA, and users' passwords only as hashes");
    assertNull(cluster.getSpec().getAuthSecret(), "the spec is not mutated");
    assertEquals(
        auth.getMetadata().getResourceVersion(),
        cluster.getStatus().getSecretsResourceVersion().get("alpha-auth"));

    ConfigMap config = client.configMaps().inNamespace(ns).withName("alpha-config").get();
    Json.mapper()
        .readValue(
            config.getData().get(InstanceLayout.CONFIG_KEY_SETTINGS), InstanceSettings.class);

    Service leader = client.services().inNamespace(ns).withName("alpha-leader").get();
    assertEquals(
        Map.of(Labels.CLUSTER, "alpha", Labels.ROLE, Labels.ROLE_PRIMARY),
        leader.getSpec().getSelector());
    assertEquals(
        Map.of(Labels.CLUSTER, "alpha", Labels.ROLE, Labels.ROLE_REPLICA),
        client.services().inNamespace(ns).withName("alpha-replica").get().getSpec().getSelector());
    assertEquals(
        Map.of(Labels.CLUSTER, "alpha", Labels.WORKLOAD, Labels.WORKLOAD_DATA),
        client.services().inNamespace(ns).withName("alpha-any").get().getSpec().getSelector());

    PodDisruptionBudget primaryPdb =
        client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("alpha-primary").get();
    assertEquals(1, primaryPdb.getSpec().getMinAvailable().getIntVal());
    assertEquals(
        1,
        client
            .policy()
            .v1()
            .podDisruptionBudget()
            .inNamespace(ns)
            .withName("alpha-replica")
            .get()
            .getSpec()
            .getMinAvailable()
            .getIntVal());

    for (int i = 0; i < 3; i++) {
      PersistentVolumeClaim pvc =
          client.persistentVolumeClaims().inNamespace(ns).withName("alpha-data-" + i).get();
      assertEquals("1Gi", pvc.getSpec().getResources().getRequests().get("storage").toString());
      assertTrue(
          pvc.getMetadata().getOwnerReferences() == null
              || pvc.getMetadata().getOwnerReferences().isEmpty(),
          "PVCs outlive the cluster by default");
      Pod pod = client.pods().inNamespace(ns).withName("alpha-" + i).get();
      assertEquals(
          cluster.getMetadata().getUid(), pod.getMetadata().getOwnerReferences().get(0).getUid());
      assertNotNull(pod.getMetadata().getAnnotations().get(Annotations.POD_SPEC_HASH));
      Container c = pod.getSpec().getContainers().get(0);
      assertEquals(List.of("/operator/redis-operator", "instance"), c.getCommand());
      assertEquals("bootstrap", pod.getSpec().getInitContainers().get(0).getName());
      assertEquals(
          Map.of("agent", 8000, "probes", 8001, "redis", 6379),
          c.getPorts().stream()
              .collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort())));
      assertEquals(
          "status.podIP",
          c.getEnv().stream()
              .filter(e -> e.getName().equals("POD_IP"))
              .findFirst()
              .map(EnvVar::getValueFrom)
              .orElseThrow()
              .getFieldRef()
              .getFieldPath());
      assertTrue(
          c.getEnv().stream()
              .allMatch(
                  e -> e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null),
          "no secret in env");
      assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
      assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
      assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
      assertEquals(
          "RuntimeDefault", pod.getSpec().getSecurityContext().getSeccompProfile().getType());
      assertTrue(pod.getSpec().getSecurityContext().getRunAsNonRoot());
      Volume data =
          pod.getSpec().getVolumes().stream()
              .filter(v -> v.getName().equals("data"))
              .findFirst()
              .orElseThrow();
      assertEquals("alpha-data-" + i, data.getPersistentVolumeClaim().getClaimName());
      assertTrue(
          pod.getSpec().getVolumes().stream()
              .anyMatch(
                  v ->
                      v.getProjected() != null
                          && v.getProjected()
                              .getSources()
                              .get(0)
                              .getSecret()
                              .getName()
                              .equals("alpha-operator-auth")));
      assertEquals("alpha-instance", pod.getSpec().getServiceAccountName());
      String expectedRole = i == 0 ? Labels.ROLE_PRIMARY : Labels.ROLE_REPLICA;
      assertEquals(expectedRole, pod.getMetadata().getLabels().get(Labels.ROLE));
    }
    // The primary's pod, then its replicas in one pass: one Event each (LifecycleEvents).
    await("lifecycle events recorded")
        .atMost(TIMEOUT)
        .until(
            () ->
                client.events().v1().events().inNamespace(ns).list().getItems().stream()
                    .filter(e -> EventReason.CREATED_POD.reason().equals(e.getReason()))
                    .map(Event::getNote)
                    .sorted()
                    .toList(),
            notes -> notes.equals(List.of("Created Pod alpha-0", "Created Pods alpha-1, alpha-2")));
  }

  @Test
  void statusAggregatesWhatAgentsReport() throws Exception {
    operator = startOperator();
    client.resource(MockApi.cluster(ns, "beta", 2)).create();
    awaitHealthy("beta", 2);
    FakeAgent primary = fleet.pod("beta-0");
    FakeAgent replica = fleet.pod("beta-1");
    primary.offset = 5000;
    replica.offset = 4200;
    // Offsets alone are not worth a status write; the link going down is, and carries the fresh
    // offsets with it.
    long polls = replica.statusPolls();
    await("beta-1 polled with its new offset")
        .atMost(TIMEOUT)
        .until(() -> replica.statusPolls() >= polls + 2);
    replica.linkUp = false;
    await("replica link down reported")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              RedisCluster c = get("beta");
              var entry = c.getStatus().getInstancesStatus().get("beta-1");
              return Boolean.FALSE.equals(entry.getLinkUp())
                  && Long.valueOf(800).equals(entry.getLagBytes());
            });
    RedisCluster c = get("beta");
    assertEquals(Phase.DEGRADED, c.getStatus().getPhase());
    var replication =
        Conditions.find(c.getStatus().getConditions(), ConditionType.REPLICATION_HEALTHY)
            .orElseThrow();
    assertEquals(ConditionStatus.FALSE, replication.getStatus());
    assertEquals(ConditionReason.REPLICA_LINK_DOWN, replication.getReason());
    var primaryEntry = c.getStatus().getInstancesStatus().get("beta-0");
    assertEquals(InstanceRole.PRIMARY, primaryEntry.getRole());
    assertEquals(5000L, primaryEntry.getReplicationOffset());
    assertEquals(primary.replId, primaryEntry.getReplicationId());
    assertEquals(primary.ip(), primaryEntry.getPodIP());
    assertNotNull(primaryEntry.getLastSeen());

    replica.linkUp = true;
    await("healthy again")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> phase("beta") == Phase.HEALTHY);
  }

  @Test
  void scalingOneThreeFiveTwoKeepsThePrimary() throws Exception {
    operator = startOperator();
    client.resource(MockApi.cluster(ns, "gamma", 1)).create();
    awaitHealthy("gamma", 1);
    String primaryUid =
        client.pods().inNamespace(ns).withName("gamma-0").get().getMetadata().getUid();
    for (int instances : new int[] {3, 5, 2}) {
      scale("gamma", instances);
      awaitHealthy("gamma", instances);
      assertEquals("gamma-0", get("gamma").getStatus().getCurrentPrimary());
      assertEquals(
          primaryUid,
          client.pods().inNamespace(ns).withName("gamma-0").get().getMetadata().getUid(),
          "the primary pod was never replaced");
    }
    assertEquals(
        List.of("gamma-0", "gamma-1"),
        pods("gamma").stream().map(p -> p.getMetadata().getName()).sorted().toList());
    await("PVCs of removed ordinals deleted")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> client.persistentVolumeClaims().inNamespace(ns).list().getItems().size() == 2);
    assertEquals(2, get("gamma").getStatus().getInstancesStatus().size());
  }

  @Test
  void deletedPodIsRecreatedOnTheSamePvc() throws Exception {
    operator = startOperator();
    client.resource(MockApi.cluster(ns, "delta", 3)).create();
    awaitHealthy("delta", 3);
    String pvcUid =
        client
            .persistentVolumeClaims()
            .inNamespace(ns)
            .withName("delta-data-2")
            .get()
            .getMetadata()
            .getUid();
    String podUid = client.pods().inNamespace(ns).withName("delta-2").get().getMetadata().getUid();
    client.pods().inNamespace(ns).withName("delta-2").delete();
    await("delta-2 recreated")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              Pod p = client.pods().inNamespace(ns).withName("delta-2").get();
              return p != null && !p.getMetadata().getUid().equals(podUid);
            });
    awaitHealthy("delta", 3);
    Pod recreated = client.pods().inNamespace(ns).withName("delta-2").get();
    assertEquals(
        "delta-data-2",
        recreated.getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("data"))
            .findFirst()
            .orElseThrow()
            .getPersistentVolumeClaim()
            .getClaimName());
    assertEquals(
        pvcUid,
        client
            .persistentVolumeClaims()
            .inNamespace(ns)
            .withName("delta-data-2")
            .get()
            .getMetadata()
            .getUid());
    assertEquals("delta-0", get("delta").getStatus().getCurrentPrimary());
  }

  @Test
  void invalidSpecIsReportedAndNothingIsCreated() throws Exception {
    operator = startOperator();
    RedisCluster bad = MockApi.cluster(ns, "epsilon", 2);
    bad.getSpec().setRedis(Map.of("requirepass", "oops"));
    client.resource(bad).create();
    await("Ready=False InvalidSpec")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              RedisCluster c = get("epsilon");
              return c.getStatus() != null
                  && Conditions.find(c.getStatus().getConditions(), ConditionType.READY)
                      .map(
                          cond ->
                              cond.getReason() == ConditionReason.INVALID_SPEC
                                  && cond.getMessage().contains("spec.redis.requirepass"))
                      .orElse(false);
            });
    await("a warning event naming the field")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                client.events().v1().events().inNamespace(ns).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "Warning".equals(e.getType())
                                && e.getNote().contains("spec.redis.requirepass")));
    await("nothing created for a cluster that never had a valid spec")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                phase("epsilon") == Phase.INVALID
                    && client.pods().inNamespace(ns).list().getItems().isEmpty()
                    && client.services().inNamespace(ns).list().getItems().isEmpty()
                    && client.secrets().inNamespace(ns).list().getItems().isEmpty());
    assertTrue(client.persistentVolumeClaims().inNamespace(ns).list().getItems().isEmpty());
    assertEquals(
        1, client.events().v1().events().inNamespace(ns).list().getItems().size(), "reported once");

    // Fixing the spec lets the controller proceed.
    MockApi.edit(
        client,
        ns,
        "epsilon",
        c -> {
          c.getSpec().setRedis(Map.of("maxmemory", "100mb"));
          return c;
        });
    awaitHealthy("epsilon", 2);
  }
}
