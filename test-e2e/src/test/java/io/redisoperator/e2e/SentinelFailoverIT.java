package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.fault.Link;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sentinel mode under the primary's failures and a rolling update, one cluster, in order; each step
 * prints its own report line. The operator fails over; the sentinels follow its record and
 * Sentinel-discovering clients follow them.
 */
@Tag("chaos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelFailoverIT extends SentinelScenarioIT {
  @Override
  String scenario() {
    return "sentinel";
  }

  @Test
  @Order(1)
  void primaryPodKilled() {
    runPrimaryPodKilled(fault -> List.of());
  }

  @Test
  @Order(2)
  void primaryRedisKilled() {
    String old = primary();
    runFault(
        "primary-redis-killed",
        () -> env.faults().killRedisServer(NAMESPACE, old),
        c -> !old.equals(c.getStatus().getCurrentPrimary()) && dataPodsReady());
  }

  @Test
  @Order(3)
  void primaryPartitioned() {
    var unavailable = env.faults().partitionUnavailableReason();
    unavailable.ifPresent(r -> ScenarioReport.skipped("sentinel-primary-partitioned", r).publish());
    Assumptions.assumeTrue(unavailable.isEmpty());
    String old = primary();
    InetSocketAddress oldRedis = env.podAddress(cluster.podIp(old), AgentApi.REDIS_PORT);
    runFault(
        "primary-partitioned",
        new Fault() {
          private FaultInjector.Partition partition;

          @Override
          public void inject() {
            partition =
                env.faults()
                    .isolate(
                        NAMESPACE, old, EnumSet.of(Link.CONTROLLER, Link.API_SERVER, Link.PEERS));
          }

          @Override
          public void recordChanged(
              String previousPrimary, String newPrimary, List<String> problems) {
            // No split brain: once another primary is recorded, the cut-off one takes no write.
            problems.addAll(Invariants.refusesWrites(cluster, oldRedis));
            close();
          }

          @Override
          public void close() {
            if (partition != null) {
              partition.heal();
              partition = null;
            }
          }
        },
        c -> !old.equals(c.getStatus().getCurrentPrimary()) && dataPodsReady());
  }

  @Test
  @Order(4)
  void rollingUpdateReplacesDataAndSentinelPods() {
    Map<String, String> uids = new HashMap<>();
    cluster.pods().forEach((name, pod) -> uids.put(name, pod.getMetadata().getUid()));
    sentinels.sentinelPods().forEach((name, pod) -> uids.put(name, pod.getMetadata().getUid()));
    runFault(
        "rolling-update",
        () ->
            cluster
                .client()
                .resources(RedisCluster.class)
                .inNamespace(NAMESPACE)
                .withName(CLUSTER)
                .edit(
                    c -> {
                      c.getSpec()
                          .setResources(
                              new ResourceRequirementsBuilder()
                                  .addToRequests("memory", new Quantity("160Mi"))
                                  .addToRequests("cpu", new Quantity("100m"))
                                  .build());
                      return c;
                    }),
        c ->
            dataPodsReady()
                && allReplaced(cluster.pods(), uids)
                && allReplaced(sentinels.sentinelPods(), uids));
  }

  private static boolean allReplaced(Map<String, Pod> pods, Map<String, String> oldUids) {
    return !pods.isEmpty()
        && pods.values().stream()
            .allMatch(
                p ->
                    PodReadiness.isReady(p)
                        && !p.getMetadata()
                            .getUid()
                            .equals(oldUids.get(p.getMetadata().getName())));
  }
}
