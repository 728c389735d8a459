package io.redisoperator.controller.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-cluster series follow the status the actor built, and leave with the cluster. */
class OperatorMetricsTest {

  private static InstanceStatusEntry entry(InstanceRole role, boolean ready, Long lag) {
    InstanceStatusEntry e = new InstanceStatusEntry();
    e.setRole(role);
    e.setReady(ready);
    e.setRedisUp(true);
    e.setLagBytes(lag);
    return e;
  }

  private static RedisClusterStatus status(Phase phase, String primary, boolean primaryReady) {
    RedisClusterStatus s = new RedisClusterStatus();
    s.setPhase(phase);
    s.setCurrentPrimary(primary);
    s.getInstancesStatus().put("cache-0", entry(InstanceRole.PRIMARY, primaryReady, 0L));
    s.getInstancesStatus().put("cache-1", entry(InstanceRole.REPLICA, true, 4096L));
    s.getInstancesStatus().put("cache-2", entry(InstanceRole.REPLICA, false, null));
    return s;
  }

  @Test
  void primaryReadyNeedsTheRecordedPrimaryReadyAndUnfenced() {
    assertTrue(ClusterGauges.of(3, status(Phase.HEALTHY, "cache-0", true)).primaryReady());
    assertFalse(ClusterGauges.of(3, status(Phase.DEGRADED, "cache-0", false)).primaryReady());
    assertFalse(ClusterGauges.of(3, status(Phase.DEGRADED, null, true)).primaryReady());
    RedisClusterStatus fenced = status(Phase.HEALTHY, "cache-0", true);
    fenced.setFencedInstances(List.of("cache-0"));
    ClusterGauges g = ClusterGauges.of(3, fenced);
    assertFalse(g.primaryReady());
    assertTrue(g.pods().get("cache-0").fenced());
    assertEquals(2, g.readyInstances());
    assertEquals("unknown", ClusterGauges.of(3, null).phase());
  }

  @Test
  void perClusterSeriesFollowTheLatestStatusAndLeaveWithTheCluster() {
    OperatorMetrics metrics = new OperatorMetrics(() -> true);
    metrics.cluster(
        "prod", "cache", ClusterGauges.of(3, status(Phase.FAILING_OVER, "cache-0", false)));
    metrics.cluster("prod", "cache", ClusterGauges.of(3, status(Phase.HEALTHY, "cache-0", true)));
    String first = metrics.scrape();
    assertTrue(
        first.contains(
            "redis_operator_failovers_total{cluster=\"cache\",kind=\"switchover\",namespace=\"prod\"} 0.0"),
        "counters start at 0 with the cluster: " + first);
    metrics.failover("prod", "cache", "failover");
    metrics.reconcileError("prod", "cache");
    String s = metrics.scrape();
    assertTrue(
        s.contains(
            "redis_operator_cluster_phase{cluster=\"cache\",namespace=\"prod\",phase=\"healthy\"} 1.0"),
        s);
    assertFalse(s.contains("phase=\"failing_over\"} 1.0"), "only the current phase: " + s);
    assertTrue(
        s.contains(
            "redis_operator_cluster_primary_ready{cluster=\"cache\",namespace=\"prod\"} 1.0"),
        s);
    assertTrue(
        s.contains("redis_operator_cluster_instances{cluster=\"cache\",namespace=\"prod\"} 3.0"),
        s);
    assertTrue(
        s.contains(
            "redis_operator_cluster_ready_instances{cluster=\"cache\",namespace=\"prod\"} 2.0"),
        s);
    assertTrue(
        s.contains(
            "redis_operator_instance_replication_lag_bytes{cluster=\"cache\",namespace=\"prod\",pod=\"cache-1\"} 4096.0"),
        s);
    assertFalse(
        s.contains(
            "redis_operator_instance_replication_lag_bytes{cluster=\"cache\",namespace=\"prod\",pod=\"cache-2\"}"),
        "unknown lag is no series: " + s);
    assertTrue(
        s.contains(
            "redis_operator_instance_ready{cluster=\"cache\",namespace=\"prod\",pod=\"cache-0\",role=\"primary\"} 1.0"),
        s);
    assertTrue(
        s.contains(
            "redis_operator_instance_fenced{cluster=\"cache\",namespace=\"prod\",pod=\"cache-1\"} 0.0"),
        s);
    assertTrue(
        s.contains(
            "redis_operator_failovers_total{cluster=\"cache\",kind=\"failover\",namespace=\"prod\"} 1.0"),
        s);
    assertTrue(
        s.contains(
            "redis_operator_reconcile_errors_total{cluster=\"cache\",namespace=\"prod\"} 1.0"),
        s);
    assertTrue(s.contains("redis_operator_clusters{phase=\"healthy\"} 1.0"), s);
    assertTrue(s.contains("redis_operator_pods{role=\"replica\"} 2.0"), s);
    assertTrue(s.contains("redis_operator_leader 1.0"), s);

    metrics.clusterGone("prod", "cache");
    String after = metrics.scrape();
    assertFalse(after.contains("redis_operator_cluster_phase{"), after);
    assertFalse(after.contains("redis_operator_instance_ready{"), after);
    assertFalse(after.contains("redis_operator_failovers_total{"), after);
    assertTrue(after.contains("redis_operator_clusters{phase=\"healthy\"} 0.0"), after);
  }
}
