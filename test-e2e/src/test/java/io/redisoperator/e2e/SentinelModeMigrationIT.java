package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code spec.mode} edited on a running cluster under writes through -leader: standalone to
 * sentinel adds the sentinels (and a Sentinel-discovering client then works) without moving the
 * primary, restarting a data pod or losing a write; sentinel to standalone removes the sentinel
 * pods, the -sentinel Service and the SentinelQuorum condition, again without touching the data
 * pods.
 */
@Tag("chaos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelModeMigrationIT extends SentinelScenarioIT {
  @Override
  String scenario() {
    return "sentinel-mode";
  }

  @Override
  Mode initialMode() {
    return Mode.STANDALONE;
  }

  @Test
  @Order(1)
  void standaloneToSentinelAddsSentinelsWithoutMovingThePrimary() {
    step = "standalone-to-sentinel";
    migrate(
        Mode.SENTINEL,
        problems -> {
          problems.addAll(
              Invariants.eventually(
                  CONSISTENT_BOUND, () -> SentinelChecks.consistent(cluster, sentinels)));
          if (!Conditions.isTrue(
              cluster.get().getStatus().getConditions(), ConditionType.SENTINEL_QUORUM)) {
            problems.add(
                "SentinelQuorum is not True: " + cluster.get().getStatus().getConditions());
          }
          try (ContinuousWriter discovering =
              ContinuousWriter.throughSentinel(sentinels, "discovered:").start()) {
            if (!ScenarioIT.pollUntil(
                () -> discovering.ackedCount() >= 50, Duration.ofSeconds(30))) {
              problems.add(
                  "no write through Sentinel discovery after the migration: "
                      + discovering.lastError());
            }
          }
        });
  }

  @Test
  @Order(2)
  void sentinelToStandaloneRemovesThemCleanly() {
    step = "sentinel-to-standalone";
    migrate(
        Mode.STANDALONE,
        problems -> {
          if (!ScenarioIT.pollUntil(
              () -> sentinels.sentinelPods().isEmpty() && sentinelServiceGone(),
              Duration.ofMinutes(1))) {
            problems.add(
                "left behind: sentinel pods "
                    + sentinels.sentinelPods().keySet()
                    + (sentinelServiceGone() ? "" : ", the -sentinel Service"));
          }
          if (Conditions.find(
                  cluster.get().getStatus().getConditions(), ConditionType.SENTINEL_QUORUM)
              .isPresent()) {
            problems.add("the SentinelQuorum condition is still reported");
          }
        });
  }

  private boolean sentinelServiceGone() {
    return cluster
            .client()
            .services()
            .inNamespace(NAMESPACE)
            .withName(ResourceNames.sentinelService(CLUSTER))
            .get()
        == null;
  }

  /**
   * Edits spec.mode under a writer through -leader; {@code checks} adds the mode's own findings.
   */
  private void migrate(Mode target, java.util.function.Consumer<List<String>> checks) {
    List<String> problems = new ArrayList<>();
    String primary = primary();
    Map<String, String> dataUids = new HashMap<>();
    cluster.pods().forEach((name, pod) -> dataUids.put(name, pod.getMetadata().getUid()));
    ContinuousWriter writer = new ContinuousWriter(cluster, step + ":").start();
    ScenarioIT.pollUntil(() -> writer.acked().size() >= 50, Duration.ofSeconds(30));
    long start = System.nanoTime();
    cluster
        .client()
        .resources(RedisCluster.class)
        .inNamespace(NAMESPACE)
        .withName(CLUSTER)
        .edit(
            c -> {
              c.getSpec().setMode(target);
              return c;
            });
    checks.accept(problems);
    double settled =
        ScenarioIT.pollUntil(
                () -> ClusterWait.isHealthy(cluster.get()) && writer.ackedSince(start),
                Duration.ofMinutes(1))
            ? (System.nanoTime() - start) / 1e9
            : -1;
    long gap = writer.maxGapMillisSince(start);
    writer.close();
    if (settled < 0) {
      problems.add("not Healthy with writes after the edit");
    }
    if (!primary.equals(primary())) {
      problems.add("the primary moved from " + primary + " to " + primary());
    }
    Map<String, Pod> pods = cluster.pods();
    dataUids.forEach(
        (name, uid) -> {
          if (pods.get(name) == null || !uid.equals(pods.get(name).getMetadata().getUid())) {
            problems.add("data pod " + name + " was recreated");
          }
        });
    long lost =
        Invariants.missingKeys(cluster, writer.acked())
            + Invariants.missingKeys(cluster, preFaultKeys);
    if (lost > 0) {
      problems.add(lost + " keys lost");
    }
    report(gap, lost, settled, problems);
  }
}
