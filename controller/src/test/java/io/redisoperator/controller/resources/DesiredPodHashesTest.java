package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.crd.StorageType;
import io.redisoperator.protocol.naming.Annotations;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A remembered hash is answered as the very string computed before ({@code assertSame}); one
 * computed afresh is a new string, equal to what {@link InstancePodBuilder#desiredHash} answers for
 * the changed cluster.
 */
class DesiredPodHashesTest {
  private static final String IMAGE = ResourceBuildersTest.IMAGE;
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** A cluster using every part of the spec the pod builder reads, as the API server returns it. */
  private static final String CLUSTER =
      """
      {"apiVersion":"redis.io/v1","kind":"RedisCluster",
       "metadata":{"name":"c","namespace":"ns","uid":"uid-1","generation":4,"resourceVersion":"7",
         "labels":{"team":"a"},"annotations":{"note":"x"}},
       "spec":{"instances":3,"imageName":"redis:7.2","storage":{"type":"pvc","size":"2Gi"},
         "resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"memory":"256Mi"}},
         "redis":{"maxmemory-policy":"noeviction"},
         "tls":{"serverSecret":{"name":"srv"},"caSecret":{"name":"ca"}},
         "users":[{"name":"app","rules":"~app:* +@read","passwordSecret":{"name":"app-pw"}}],
         "backup":{"credentialsSecret":{"name":"s3"}},
         "nodeSelector":{"disk":"ssd"},
         "tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule"}],
         "affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
           {"weight":100,"podAffinityTerm":{"topologyKey":"kubernetes.io/hostname",
             "labelSelector":{"matchLabels":{"redis.io/cluster":"c"}}}}]}},
         "topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"zone",
           "whenUnsatisfiable":"ScheduleAnyway"}]},
       "status":{"phase":"Healthy","currentPrimary":"c-0"}}""";

  private static RedisCluster cluster() {
    return SERIALIZATION.unmarshal(CLUSTER, RedisCluster.class);
  }

  /** The cluster as the informer hands it over after a write: a new object with the change. */
  private static RedisCluster written(RedisCluster from, Consumer<RedisCluster> change) {
    RedisCluster next = SERIALIZATION.unmarshal(SERIALIZATION.asJson(from), RedisCluster.class);
    change.accept(next);
    next.getMetadata()
        .setResourceVersion(
            Long.toString(Long.parseLong(from.getMetadata().getResourceVersion()) + 1));
    return next;
  }

  private static String fresh(RedisCluster cluster, int ordinal) {
    return InstancePodBuilder.desiredHash(cluster, ordinal, "c-auth", IMAGE);
  }

  @Test
  void statusWritesAndOtherMetadataKeepWhatWasRemembered() {
    DesiredPodHashes hashes = new DesiredPodHashes();
    RedisCluster cluster = cluster();
    String remembered = hashes.forInputs(cluster, "c-auth", IMAGE).apply(1);
    assertEquals(fresh(cluster, 1), remembered);

    RedisCluster failedOver =
        written(
            cluster,
            c -> {
              RedisClusterStatus status = new RedisClusterStatus();
              status.setPhase(Phase.FAILING_OVER);
              status.setCurrentPrimary("c-1");
              status.setFencedInstances(List.of("c-0"));
              status.setLastValidSpec(c.getSpec());
              c.setStatus(status);
            });
    assertSame(
        remembered, hashes.forInputs(failedOver, "c-auth", IMAGE).apply(1), "a status write");
    RedisCluster relabelled =
        written(
            failedOver,
            c -> {
              c.getMetadata().setLabels(Map.of("team", "b"));
              c.getMetadata().setAnnotations(Map.of("note", "y"));
            });
    assertSame(
        remembered,
        hashes.forInputs(relabelled, "c-auth", IMAGE).apply(1),
        "other labels, annotations");
    assertEquals(fresh(relabelled, 1), remembered);
  }

  @Test
  void everyInputOfThePodSpecIsComputedAfresh() {
    DesiredPodHashes hashes = new DesiredPodHashes();
    RedisCluster cluster = cluster();
    String before = hashes.forInputs(cluster, "c-auth", IMAGE).apply(0);

    List<Consumer<RedisCluster>> podSpecChanges =
        List.of(
            c -> c.getSpec().setImageName("redis:7.4"),
            c -> c.getSpec().getStorage().setType(StorageType.EMPTY_DIR),
            c -> c.getSpec().getResources().getLimits().remove("memory"),
            c -> c.getSpec().setTls(null),
            c -> c.getSpec().getBackup().getCredentialsSecret().setName("s3-next"),
            c -> c.getSpec().setNodeSelector(Map.of("disk", "hdd")),
            c -> c.getSpec().getTolerations().get(0).setKey("other"),
            c -> c.getSpec().setAffinity(null),
            c -> c.getSpec().getTopologySpreadConstraints().get(0).setMaxSkew(2),
            c ->
                c.getMetadata()
                    .setAnnotations(Map.of(Annotations.RESTARTED_AT, "2026-12-05T23:00:00Z")));
    for (Consumer<RedisCluster> change : podSpecChanges) {
      RedisCluster edited =
          written(
              cluster,
              c -> {
                change.accept(c);
                c.getMetadata().setGeneration(c.getMetadata().getGeneration() + 1);
              });
      String after = hashes.forInputs(edited, "c-auth", IMAGE).apply(0);
      assertNotEquals(before, after, SERIALIZATION.asJson(edited));
      assertEquals(fresh(edited, 0), after);
      assertEquals(
          before, hashes.forInputs(cluster, "c-auth", IMAGE).apply(0), "back to the first inputs");
    }

    assertEquals(
        InstancePodBuilder.desiredHash(cluster, 0, "other-auth", IMAGE),
        hashes.forInputs(cluster, "other-auth", IMAGE).apply(0));
    assertEquals(
        InstancePodBuilder.desiredHash(cluster, 0, "other-auth", "example.org/other:1"),
        hashes.forInputs(cluster, "other-auth", "example.org/other:1").apply(0));
  }

  @Test
  void aSubstitutedSpecOrOneEditedInPlaceIsAnotherInput() {
    DesiredPodHashes hashes = new DesiredPodHashes();
    RedisCluster cluster = cluster();
    String before = hashes.forInputs(cluster, "c-auth", IMAGE).apply(2);

    // Another spec under the same metadata (generation included), as SpecInForce substitutes the
    // last valid one.
    RedisCluster substituted = new RedisCluster();
    substituted.setMetadata(cluster.getMetadata());
    RedisClusterSpec lastValid = new RedisClusterSpec();
    lastValid.setInstances(3);
    substituted.setSpec(lastValid);
    assertEquals(fresh(substituted, 2), hashes.forInputs(substituted, "c-auth", IMAGE).apply(2));
    assertNotEquals(before, hashes.forInputs(substituted, "c-auth", IMAGE).apply(2));

    // The same spec object, edited in place: what was remembered is a copy.
    String remembered = hashes.forInputs(substituted, "c-auth", IMAGE).apply(2);
    lastValid.setImageName("redis:7.4");
    assertEquals(fresh(substituted, 2), hashes.forInputs(substituted, "c-auth", IMAGE).apply(2));
    assertNotEquals(remembered, hashes.forInputs(substituted, "c-auth", IMAGE).apply(2));
  }

  @Test
  void aPassComparesTheInputsOnceAndKeepsThemForEveryOrdinal() {
    DesiredPodHashes hashes = new DesiredPodHashes();
    RedisCluster cluster = cluster();
    IntFunction<String> pass = hashes.forInputs(cluster, "c-auth", IMAGE);
    String first = pass.apply(0);
    assertSame(first, pass.apply(0));

    cluster.getSpec().setImageName("redis:7.4");
    assertSame(first, pass.apply(0), "not compared again within the pass");
    IntFunction<String> next = hashes.forInputs(cluster, "c-auth", IMAGE);
    assertEquals(fresh(cluster, 0), next.apply(0), "the next pass compares again");
    assertNotEquals(first, next.apply(0));

    assertEquals(first, pass.apply(0), "the earlier pass keeps its own");
    assertSame(next.apply(0), hashes.forInputs(cluster, "c-auth", IMAGE).apply(0));
  }
}
