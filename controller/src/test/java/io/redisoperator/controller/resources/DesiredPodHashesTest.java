package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import org.junit.jupiter.api.Test;

class DesiredPodHashesTest {
  private static final String IMAGE = ResourceBuildersTest.IMAGE;

  private static RedisCluster cluster(String resourceVersion) {
    RedisCluster cluster = ResourceBuildersTest.cluster(3);
    cluster.getMetadata().setResourceVersion(resourceVersion);
    return cluster;
  }

  private static String fresh(RedisCluster cluster, int ordinal) {
    return InstancePodBuilder.desiredHash(cluster, ordinal, "c-auth", IMAGE);
  }

  @Test
  void theSameClusterVersionIsAnsweredFromMemory() {
    RedisCluster cluster = cluster("7");
    DesiredPodHashes hashes = new DesiredPodHashes();
    String remembered = hashes.of(cluster, 1, "c-auth", IMAGE);
    assertEquals(fresh(cluster, 1), remembered);

    // An edit in memory without a new version is not an input: what was remembered answers.
    cluster.getSpec().setImageName("redis:7.2.5");
    assertEquals(remembered, hashes.of(cluster, 1, "c-auth", IMAGE));
    assertNotEquals(remembered, fresh(cluster, 1));
  }

  @Test
  void aNewVersionAnotherSpecObjectSecretOrImageIsComputedAfresh() {
    DesiredPodHashes hashes = new DesiredPodHashes();
    RedisCluster cluster = cluster("7");
    String before = hashes.of(cluster, 0, "c-auth", IMAGE);

    RedisCluster edited = cluster("8");
    edited.getSpec().setImageName("redis:7.2.5");
    assertEquals(fresh(edited, 0), hashes.of(edited, 0, "c-auth", IMAGE));
    assertNotEquals(before, hashes.of(edited, 0, "c-auth", IMAGE));

    // Same version, another spec (as SpecInForce substitutes the last valid one).
    RedisCluster substituted = cluster("8");
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(3);
    substituted.setSpec(spec);
    assertEquals(before, hashes.of(substituted, 0, "c-auth", IMAGE));

    assertEquals(fresh(substituted, 0), hashes.of(substituted, 0, "c-auth", IMAGE));
    assertEquals(
        InstancePodBuilder.desiredHash(substituted, 0, "other-auth", IMAGE),
        hashes.of(substituted, 0, "other-auth", IMAGE));
    assertEquals(
        InstancePodBuilder.desiredHash(substituted, 0, "other-auth", "example.org/other:1"),
        hashes.of(substituted, 0, "other-auth", "example.org/other:1"));
  }

  @Test
  void aClusterWithoutAVersionIsNeverRemembered() {
    RedisCluster cluster = cluster(null);
    DesiredPodHashes hashes = new DesiredPodHashes();
    String before = hashes.of(cluster, 2, "c-auth", IMAGE);
    cluster.getSpec().setImageName("redis:7.2.5");
    assertNotEquals(before, hashes.of(cluster, 2, "c-auth", IMAGE));
    assertEquals(fresh(cluster, 2), hashes.of(cluster, 2, "c-auth", IMAGE));
  }
}
