package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.naming.Annotations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Scenario 8: planned operations on one cluster, in order: switchover with zero acknowledged loss,
 * scale 3→1→3, live password rotation, hibernate and wake. Each prints its own report line.
 */
@Tag("chaos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlannedOperationsIT extends ScenarioIT {
  private String operation = "operations";

  /** The old password must be refused within the rotation check's minute. */
  private static final int ROTATION_GRACE_SECONDS = 10;

  @Override
  String scenario() {
    return "planned-" + operation;
  }

  /**
   * A short rotation grace (the default keeps the old password 90 s), so the rotation step sees the
   * old password refused within its bound; AclRotationIT covers the grace itself.
   */
  @Override
  void customize(RedisClusterSpec spec) {
    spec.setPasswordRotationGraceSeconds(ROTATION_GRACE_SECONDS);
  }

  @Test
  @Order(1)
  void switchoverLosesNoAcknowledgedWrite() {
    operation = "switchover";
    String target =
        cluster.pods().keySet().stream()
            .filter(p -> !p.equals(initialPrimary))
            .findFirst()
            .orElseThrow();
    ContinuousWriter writer = new ContinuousWriter(cluster, "sw:").start();
    sleep(2000);
    long start = System.nanoTime();
    annotate(Annotations.SWITCHOVER_TO, target);
    double recovery =
        awaitRecovery(
            start,
            writer,
            c -> target.equals(c.getStatus().getCurrentPrimary()),
            Duration.ofMinutes(2));
    finish(start, recovery, writer, List.of(), true);
  }

  @Test
  @Order(2)
  void scaleDownToOneAndBackToThree() {
    operation = "scale";
    long start = System.nanoTime();
    List<String> problems = new ArrayList<>();
    scaleTo(1);
    double down =
        awaitRecovery(start, null, c -> cluster.pods().size() == 1, Duration.ofMinutes(2));
    if (down < 0) {
      problems.add("scale to 1 did not settle");
    } else if (Invariants.missingKeys(cluster, preFaultKeys) > 0) {
      problems.add("keys missing at 1 instance");
    }
    scaleTo(INSTANCES);
    double up =
        awaitRecovery(
            start,
            null,
            c ->
                cluster.pods().size() == INSTANCES
                    && cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    finish(start, up, null, problems, true);
  }

  @Test
  @Order(3)
  void passwordRotationAppliesLiveAndRefusesTheOldPassword() {
    operation = "password-rotation";
    String oldPassword = cluster.password();
    String newPassword = "rotated-" + Long.toHexString(System.nanoTime());
    long start = System.nanoTime();
    cluster
        .client()
        .secrets()
        .inNamespace(NAMESPACE)
        .withName(cluster.authSecretName())
        .edit(
            s ->
                new SecretBuilder(s)
                    .addToData(
                        "password",
                        Base64.getEncoder()
                            .encodeToString(newPassword.getBytes(StandardCharsets.UTF_8)))
                    .build());
    List<String> problems =
        new ArrayList<>(
            Invariants.eventually(
                Duration.ofSeconds(60),
                () -> {
                  List<String> p = new ArrayList<>();
                  try (StatefulRedisConnection<String, String> c =
                      cluster.connect(cluster.leader(), newPassword)) {
                    c.sync().set("after-rotation", "1");
                  } catch (RuntimeException e) {
                    p.add("new password refused: " + e.getMessage());
                  }
                  try (StatefulRedisConnection<String, String> c =
                      cluster.connect(cluster.leader(), oldPassword)) {
                    c.sync().ping();
                    p.add("old password still accepted");
                  } catch (RuntimeException e) {
                    // refused, as it must be
                  }
                  return p;
                }));
    double recovery = problems.isEmpty() ? (System.nanoTime() - start) / 1e9 : -1;
    finish(start, recovery, null, problems, true);
  }

  @Test
  @Order(4)
  void hibernateDeletesPodsKeepsDataAndWakes() {
    operation = "hibernation";
    coldRestartExpected = true;
    long start = System.nanoTime();
    List<String> problems = new ArrayList<>();
    annotate(Annotations.HIBERNATION, "on");
    if (!pollUntil(() -> cluster.pods().isEmpty(), Duration.ofMinutes(2))) {
      problems.add("pods not removed on hibernation");
    }
    annotate(Annotations.HIBERNATION, "off");
    double recovery =
        awaitRecovery(
            start,
            null,
            c ->
                cluster.pods().size() == INSTANCES
                    && cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    finish(start, recovery, null, problems, true);
  }

  private void scaleTo(int instances) {
    cluster
        .client()
        .resources(RedisCluster.class)
        .inNamespace(NAMESPACE)
        .withName(CLUSTER)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            io.fabric8.kubernetes.client.utils.Serialization.asJson(
                Map.of("spec", Map.of("instances", instances))));
  }
}
