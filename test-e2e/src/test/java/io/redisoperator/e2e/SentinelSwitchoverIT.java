package io.redisoperator.e2e;

import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Annotations;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sentinel mode, planned switchover: a Sentinel-discovering client follows it and loses nothing.
 */
@Tag("ci")
class SentinelSwitchoverIT extends SentinelScenarioIT {
  @Override
  String scenario() {
    return "sentinel";
  }

  @Test
  void switchoverIsFollowedBySentinelAndItsClients() {
    String from = primary();
    String target =
        cluster.pods().keySet().stream().filter(p -> !p.equals(from)).findFirst().orElseThrow();
    runFault(
        "switchover",
        () ->
            cluster
                .client()
                .resources(RedisCluster.class)
                .inNamespace(NAMESPACE)
                .withName(CLUSTER)
                .edit(
                    c -> {
                      c.getMetadata().getAnnotations().put(Annotations.SWITCHOVER_TO, target);
                      return c;
                    }),
        c -> target.equals(c.getStatus().getCurrentPrimary()) && dataPodsReady());
  }
}
