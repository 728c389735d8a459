package io.redisoperator.controller.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.redisoperator.controller.resources.ClusterServices;
import io.redisoperator.controller.resources.InstancePodBuilder;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SentinelBuildersTest {
  private static final String OPERATOR_IMAGE = "redis-operator:test-operator";

  private static RedisCluster cluster() {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName("c");
    cluster.getMetadata().setNamespace("ns");
    cluster.getMetadata().setUid("uid-1");
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(3);
    spec.setMode(Mode.SENTINEL);
    spec.setImageName("redis-operator:test");
    spec.setResources(
        new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("128Mi")).build());
    spec.setNodeSelector(Map.of("disk", "ssd"));
    spec.setTolerations(
        List.of(new TolerationBuilder().withKey("k").withOperator("Exists").build()));
    cluster.setSpec(spec);
    return cluster;
  }

  @Test
  void sentinelPodRunsTheSentinelRoleWithTheDataPodsImageResourcesSchedulingAndSecurity() {
    RedisCluster cluster = cluster();
    Pod sentinel = SentinelPodBuilder.build(cluster, 1, "c-auth", OPERATOR_IMAGE);
    Pod data = InstancePodBuilder.build(cluster, 0, "c-auth", OPERATOR_IMAGE);
    Container s = sentinel.getSpec().getContainers().get(0);
    Container d = data.getSpec().getContainers().get(0);

    assertEquals("c-sentinel-1", sentinel.getMetadata().getName());
    assertEquals(List.of(d.getCommand().get(0), "instance", "--role=sentinel"), s.getCommand());
    assertEquals(
        data.getSpec().getInitContainers(),
        sentinel.getSpec().getInitContainers(),
        "same agent bootstrap");
    assertEquals(d.getImage(), s.getImage());
    assertEquals(d.getResources(), s.getResources());
    assertEquals(d.getSecurityContext(), s.getSecurityContext());
    assertEquals(d.getEnv(), s.getEnv());
    assertEquals(data.getSpec().getSecurityContext(), sentinel.getSpec().getSecurityContext());
    assertEquals(data.getSpec().getNodeSelector(), sentinel.getSpec().getNodeSelector());
    assertEquals(data.getSpec().getTolerations(), sentinel.getSpec().getTolerations());
    assertEquals(
        data.getSpec().getServiceAccountName(), sentinel.getSpec().getServiceAccountName());
    assertEquals(
        List.of(8001, 26379), s.getPorts().stream().map(p -> p.getContainerPort()).toList());
    assertEquals("/readyz", s.getReadinessProbe().getHttpGet().getPath());
    // A re-point after a failover (a few hundred ms) must not empty the -sentinel Service: one
    // miss is tolerated and a probe comes every second.
    assertEquals(1, s.getReadinessProbe().getPeriodSeconds());
    assertEquals(2, s.getReadinessProbe().getFailureThreshold());
    assertEquals(
        data.getMetadata().getOwnerReferences(), sentinel.getMetadata().getOwnerReferences());
    assertTrue(sentinel.getMetadata().getOwnerReferences().get(0).getController());
  }

  @Test
  void sentinelPodHasEmptyDirDataAndOnlyTheAuthSecret() {
    Pod sentinel = SentinelPodBuilder.build(cluster(), 0, "user-auth", OPERATOR_IMAGE);
    var volumes = sentinel.getSpec().getVolumes();
    assertTrue(
        volumes.stream().anyMatch(v -> v.getName().equals("data") && v.getEmptyDir() != null));
    assertTrue(volumes.stream().noneMatch(v -> v.getPersistentVolumeClaim() != null));
    assertTrue(
        volumes.stream()
            .anyMatch(
                v ->
                    v.getProjected() != null
                        && v.getProjected()
                            .getSources()
                            .get(0)
                            .getSecret()
                            .getName()
                            .equals("user-auth")));
    assertTrue(
        volumes.stream()
            .noneMatch(
                v ->
                    v.getProjected() != null
                        && v.getProjected()
                            .getSources()
                            .get(0)
                            .getSecret()
                            .getName()
                            .endsWith("-agent-tls")));
  }

  @Test
  void withTlsTheSentinelPodMountsRedisCertificateAndServesTls() {
    RedisCluster cluster = cluster();
    Pod plain = SentinelPodBuilder.build(cluster, 0, "c-auth", OPERATOR_IMAGE);
    assertTrue(
        plain.getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("redis-tls")));
    cluster.getSpec().setTls(new io.redisoperator.protocol.crd.TlsSpec());
    Pod tls = SentinelPodBuilder.build(cluster, 0, "c-auth", OPERATOR_IMAGE);
    var container = tls.getSpec().getContainers().get(0);
    assertTrue(
        container.getCommand().contains(InstanceLayout.SENTINEL_TLS_ARG),
        container.getCommand().toString());
    assertTrue(
        container.getVolumeMounts().stream()
            .anyMatch(
                m ->
                    m.getName().equals("redis-tls")
                        && m.getMountPath().equals(InstanceLayout.REDIS_TLS_DIR)));
    assertTrue(
        tls.getSpec().getVolumes().stream()
            .anyMatch(
                v ->
                    v.getName().equals("redis-tls")
                        && v.getProjected()
                            .getSources()
                            .get(0)
                            .getSecret()
                            .getName()
                            .equals("c-redis-tls")));
    assertNotEquals(
        plain.getMetadata().getAnnotations(),
        tls.getMetadata().getAnnotations(),
        "turning TLS on replaces the sentinel pods");
  }

  @Test
  void sentinelLabelsMatchNoDataPodSelector() {
    Map<String, String> labels =
        SentinelPodBuilder.build(cluster(), 0, "c-auth", OPERATOR_IMAGE).getMetadata().getLabels();
    assertEquals("c", labels.get(Labels.CLUSTER));
    assertEquals(Labels.WORKLOAD_SENTINEL, labels.get(Labels.WORKLOAD));
    assertEquals(Labels.ROLE_SENTINEL, labels.get(Labels.ROLE));
    assertEquals(Labels.MANAGED_BY_VALUE, labels.get(Labels.MANAGED_BY));
    for (Service dataService : ClusterServices.build(cluster())) {
      Map<String, String> selector = dataService.getSpec().getSelector();
      boolean matches =
          selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
      assertFalse(matches, dataService.getMetadata().getName() + " must not route to sentinels");
    }
    assertTrue(
        ResourceNames.ordinalOf("c", "c-sentinel-0").isEmpty(),
        "never taken for a data pod ordinal");
  }

  @Test
  void sentinelServiceSelectsSentinelPodsOnPort26379() {
    RedisCluster cluster = cluster();
    Service service = SentinelServiceBuilder.build(cluster);
    assertEquals("c-sentinel", service.getMetadata().getName());
    assertEquals(
        Map.of(Labels.CLUSTER, "c", Labels.WORKLOAD, Labels.WORKLOAD_SENTINEL),
        service.getSpec().getSelector());
    assertEquals(26379, service.getSpec().getPorts().get(0).getPort());
    assertEquals("sentinel", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    Map<String, String> podLabels =
        SentinelPodBuilder.build(cluster, 2, "c-auth", OPERATOR_IMAGE).getMetadata().getLabels();
    assertTrue(
        service.getSpec().getSelector().entrySet().stream()
            .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey()))));
    assertEquals(
        List.of("uid-1"),
        service.getMetadata().getOwnerReferences().stream().map(o -> o.getUid()).toList());
  }

  @Test
  void specHashChangesWithImageAuthSecretAndRestartRequestOnly() {
    RedisCluster cluster = cluster();
    String hash = SentinelPodBuilder.desiredHash(cluster, 0, "c-auth", OPERATOR_IMAGE);
    assertEquals(hash, SentinelPodBuilder.desiredHash(cluster, 0, "c-auth", OPERATOR_IMAGE));
    assertNotEquals(hash, SentinelPodBuilder.desiredHash(cluster, 0, "other-auth", OPERATOR_IMAGE));
    cluster.getSpec().setImageName("redis-operator:next");
    String updated = SentinelPodBuilder.desiredHash(cluster, 0, "c-auth", OPERATOR_IMAGE);
    assertNotEquals(hash, updated);
    cluster
        .getMetadata()
        .setAnnotations(java.util.Map.of(Annotations.RESTARTED_AT, "2026-12-04T21:00:00Z"));
    assertNotEquals(updated, SentinelPodBuilder.desiredHash(cluster, 0, "c-auth", OPERATOR_IMAGE));
    assertEquals(
        SentinelPodBuilder.desiredHash(cluster, 0, "c-auth", OPERATOR_IMAGE),
        SentinelPodBuilder.build(cluster, 0, "c-auth", OPERATOR_IMAGE)
            .getMetadata()
            .getAnnotations()
            .get(Annotations.POD_SPEC_HASH));
  }

  /**
   * A restart request restarts the sentinel pods too; like the data pods they carry the request
   * they were built for, which the rolling-restart runbook lists per pod.
   */
  @Test
  void sentinelPodCarriesTheRestartRequestItWasBuiltFor() {
    RedisCluster cluster = cluster();
    assertFalse(
        SentinelPodBuilder.build(cluster, 0, "c-auth", OPERATOR_IMAGE)
            .getMetadata()
            .getAnnotations()
            .containsKey(Annotations.RESTARTED_AT),
        "no request, no annotation");
    cluster.getMetadata().setAnnotations(Map.of(Annotations.RESTARTED_AT, "2026-12-04T21:00:00Z"));
    Pod sentinel = SentinelPodBuilder.build(cluster, 0, "c-auth", OPERATOR_IMAGE);
    assertEquals(
        "2026-12-04T21:00:00Z",
        sentinel.getMetadata().getAnnotations().get(Annotations.RESTARTED_AT));
    assertEquals(
        InstancePodBuilder.build(cluster, 0, "c-auth", OPERATOR_IMAGE)
            .getMetadata()
            .getAnnotations()
            .get(Annotations.RESTARTED_AT),
        sentinel.getMetadata().getAnnotations().get(Annotations.RESTARTED_AT),
        "the same annotation as the data pods");
  }
}
