package io.redisoperator.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStoreWaitTest {
  private static RedisCluster cluster(String name, Phase phase, String reason) {
    RedisCluster c = new RedisCluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(3);
    c.setSpec(spec);
    RedisClusterStatus status = new RedisClusterStatus();
    status.setPhase(phase);
    status.setPhaseReason(reason);
    status.setReadyInstances(phase == Phase.HEALTHY ? 3 : 1);
    status.setCurrentPrimary(name + "-0");
    status.setObservedGeneration(1L);
    c.setStatus(status);
    return c;
  }

  @Test
  void aTimedOutWaitNamesEachStuckClusterWithItsStatus() {
    List<String> lines =
        ClusterStoreWait.notHealthy(
            List.of(
                cluster("c0002", Phase.CREATING, "waiting for c0002-0"),
                cluster("c0000", Phase.HEALTHY, null),
                cluster("c0001", Phase.CREATING, "waiting for c0001-0"),
                cluster("c0003", Phase.CREATING, "waiting for c0003-0")),
            2);

    assertEquals(3, lines.size(), String.join("\n", lines));
    assertEquals("3 of 4 clusters not Healthy", lines.get(0));
    assertTrue(lines.get(1).startsWith("not Healthy: c0001 generation=1 status="), lines.get(1));
    assertTrue(lines.get(1).contains("waiting for c0001-0"), lines.get(1));
    assertTrue(lines.get(2).startsWith("not Healthy: c0002 "), lines.get(2));
  }
}
