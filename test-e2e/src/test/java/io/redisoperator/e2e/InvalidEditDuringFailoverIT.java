package io.redisoperator.e2e;

import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An invalid edit (an operator-owned directive in spec.redis) on a running cluster, then its
 * primary's redis-server is killed: the cluster stays protected on its last valid spec. A replica
 * is promoted while the spec is Invalid, writes through -leader resume before the edit is reverted,
 * and nothing of the edit reaches the pods.
 */
@Tag("chaos")
class InvalidEditDuringFailoverIT extends ScenarioIT {
  @Override
  String scenario() {
    return "invalid-edit-during-failover";
  }

  @Test
  void theFailoverHappensOnTheLastValidSpec() {
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    setRedisDirectives(Map.of("requirepass", "typo"));
    List<String> problems = new ArrayList<>();
    try {
      cluster.await(
          c -> c.getStatus() != null && c.getStatus().getPhase() == Phase.INVALID,
          Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      problems.add("the invalid edit was not reported");
    }
    long fault = System.nanoTime();
    env.faults().killRedisServer(NAMESPACE, initialPrimary);
    try {
      RedisCluster failedOver =
          cluster.await(
              c ->
                  c.getStatus() != null
                      && !initialPrimary.equals(c.getStatus().getCurrentPrimary()),
              Duration.ofMinutes(1));
      if (failedOver.getStatus().getPhase() != Phase.INVALID) {
        problems.add(
            "phase " + failedOver.getStatus().getPhase() + " while the spec is still invalid");
      }
    } catch (RuntimeException e) {
      problems.add("no failover while the spec was invalid");
    }
    if (!pollUntil(() -> writer.ackedSince(fault), Duration.ofSeconds(30))) {
      problems.add(
          "writes through -leader did not resume while the spec was invalid: "
              + writer.lastError());
    }
    String password = cluster.password();
    if (!"typo".equals(password) && cluster.pods().keySet().stream().anyMatch(this::acceptsTypo)) {
      problems.add("a pod took the invalid edit's password");
    }
    setRedisDirectives(Map.of());
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c -> cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    finish(fault, recovery, writer, problems, false);
  }

  private boolean acceptsTypo(String pod) {
    try (var c =
        cluster.connect(
            env.podAddress(cluster.podIp(pod), io.redisoperator.protocol.agent.AgentApi.REDIS_PORT),
            "typo")) {
      c.sync().ping();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void setRedisDirectives(Map<String, String> directives) {
    cluster
        .client()
        .resources(RedisCluster.class)
        .inNamespace(NAMESPACE)
        .withName(CLUSTER)
        .edit(
            c -> {
              c.getSpec().setRedis(new HashMap<>(directives));
              return c;
            });
  }
}
