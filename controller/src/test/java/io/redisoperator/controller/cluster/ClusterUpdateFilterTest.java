package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterUpdateFilterTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  static RedisCluster version(String resourceVersion, long generation, Phase phase) {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName("c");
    cluster.getMetadata().setResourceVersion(resourceVersion);
    cluster.getMetadata().setGeneration(generation);
    RedisClusterStatus status = new RedisClusterStatus();
    status.setPhase(phase);
    cluster.setStatus(status);
    return cluster;
  }

  @Test
  void aStatusChangeBySomeoneElseIsWorthAPassAnUnchangedVersionIsNot() {
    ClusterUpdateFilter filter = new ClusterUpdateFilter();
    RedisCluster current = version("1", 1, Phase.HEALTHY);
    assertEquals(
        new ClusterUpdateFilter.Verdict(true, false, true),
        filter.judge(current, version("2", 1, Phase.DEGRADED), T0));
    assertEquals(
        new ClusterUpdateFilter.Verdict(true, false, false),
        filter.judge(current, version("2", 1, Phase.HEALTHY), T0));
  }

  @Test
  void versionsBeforeTheOwnWriteAreIgnoredUntilItsEchoArrives() {
    ClusterUpdateFilter filter = new ClusterUpdateFilter();
    RedisCluster written = version("5", 1, Phase.HEALTHY);
    filter.wrote("5", T0);
    assertEquals(
        new ClusterUpdateFilter.Verdict(false, false, false),
        filter.judge(written, version("4", 1, Phase.DEGRADED), T0.plusSeconds(1)));
    assertEquals(
        new ClusterUpdateFilter.Verdict(true, false, false),
        filter.judge(written, version("5", 1, Phase.HEALTHY), T0.plusSeconds(1)));
    // Once echoed, an older-looking status change is someone else's again.
    assertEquals(
        new ClusterUpdateFilter.Verdict(true, false, true),
        filter.judge(written, version("6", 1, Phase.DEGRADED), T0.plusSeconds(1)));
  }

  @Test
  void aUserChangeIsTakenEvenBeforeTheEchoAndTheWaitExpires() {
    ClusterUpdateFilter filter = new ClusterUpdateFilter();
    RedisCluster written = version("5", 1, Phase.HEALTHY);
    filter.wrote("5", T0);
    assertEquals(
        new ClusterUpdateFilter.Verdict(true, true, true),
        filter.judge(written, version("4", 2, Phase.HEALTHY), T0.plusSeconds(1)));
    Instant late = T0.plus(ClusterUpdateFilter.ECHO_WAIT).plusSeconds(1);
    assertEquals(
        new ClusterUpdateFilter.Verdict(true, false, true),
        filter.judge(written, version("4", 1, Phase.DEGRADED), late));
  }

  @Test
  void annotationsLabelsAndDeletionAreUserChanges() {
    RedisCluster current = version("1", 1, Phase.HEALTHY);
    RedisCluster annotated = version("2", 1, Phase.HEALTHY);
    annotated.getMetadata().setAnnotations(Map.of("a", "b"));
    RedisCluster labelled = version("2", 1, Phase.HEALTHY);
    labelled.getMetadata().setLabels(Map.of("a", "b"));
    RedisCluster deleted = version("2", 1, Phase.HEALTHY);
    deleted.getMetadata().setDeletionTimestamp("2026-12-01T00:00:00Z");
    assertEquals(true, ClusterUpdateFilter.changedByUser(current, annotated));
    assertEquals(true, ClusterUpdateFilter.changedByUser(current, labelled));
    assertEquals(true, ClusterUpdateFilter.changedByUser(current, deleted));
    assertEquals(
        false, ClusterUpdateFilter.changedByUser(current, version("2", 1, Phase.DEGRADED)));
  }
}
