package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An invalid edit of a running cluster is reported and ignored; the cluster stays protected on its
 * last valid spec.
 */
class InvalidEditTest {

  /** What the cluster actor does: plan and build the status over the spec in force. */
  private record Pass(Plan plan, RedisClusterStatus status) {}

  private static Pass pass(PlannerFixture f) {
    SpecInForce spec = SpecInForce.of(f.cluster);
    ReconcileInput in = f.input(spec.cluster());
    Plan plan = ReconcilePlanner.standard().plan(in, spec);
    return new Pass(plan, StatusBuilder.build(in, plan));
  }

  /** Records the current spec as the last valid one, as the status write of a healthy pass does. */
  private static void recordValid(PlannerFixture f) {
    f.cluster
        .getStatus()
        .setLastValidSpec(Json.mapper().convertValue(f.cluster.getSpec(), RedisClusterSpec.class));
  }

  @Test
  void aValidPassRecordsTheSpecAsTheLastValidOne() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    RedisClusterStatus status = pass(f).status();
    assertNotNull(status.getLastValidSpec());
    assertEquals(2, status.getLastValidSpec().getInstances());
    assertTrue(
        StatusBuilder.materiallyDifferent(f.cluster.getStatus(), status),
        "written, so a restart finds it");
    f.cluster.setStatus(status);
    assertFalse(
        StatusBuilder.materiallyDifferent(f.cluster.getStatus(), pass(f).status()),
        "and not rewritten");
  }

  @Test
  void aPrimaryThatDiesWhileTheSpecIsInvalidIsStillFailedOver() {
    PlannerFixture f = FailoverStepsTest.redisProcessExited();
    recordValid(f);
    f.cluster.getSpec().getRedis().put("requirepass", "typo");
    Pass pass = pass(f);
    assertNotNull(pass.plan().decision(), "the failover starts: " + pass.plan().actions());
    assertEquals(List.of("c-0"), pass.plan().decision().fencedInstances());
    assertEquals(Phase.INVALID, pass.status().getPhase());
    assertTrue(
        pass.status().getPhaseReason().contains("spec.redis.requirepass"),
        pass.status().getPhaseReason());
    assertFalse(
        pass.status().getLastValidSpec().getRedis().containsKey("requirepass"),
        "the edit is not recorded");
  }

  @Test
  void theInvalidEditIsReportedOnceAndNothingOfItIsApplied() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    recordValid(f);
    f.cluster.getSpec().setInstances(4); // would create two pods, were it applied
    f.cluster.getSpec().getRedis().put("replicaof", "10.9.9.9 6379");
    Pass first = pass(f);
    List<Action.Emit> events =
        first.plan().actions().stream()
            .filter(Action.Emit.class::isInstance)
            .map(Action.Emit.class::cast)
            .toList();
    assertEquals(1, events.size());
    assertTrue(events.get(0).reason().warning());
    assertTrue(events.get(0).note().contains("spec.redis.replicaof"), events.get(0).note());
    assertTrue(
        first.plan().actions().stream()
            .noneMatch(
                a ->
                    a instanceof Action.Create c
                        && c.object() instanceof io.fabric8.kubernetes.api.model.Pod),
        "no pod for the edited instance count");
    assertEquals(2, first.status().getLastValidSpec().getInstances());

    f.cluster.setStatus(first.status());
    assertTrue(
        pass(f).plan().actions().stream().noneMatch(Action.Emit.class::isInstance),
        "reported once");
  }

  @Test
  void anInvalidEditThatWouldChangeThePodsRestartsNone() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.pod(2, InstanceRole.REPLICA, "10.0.0.1");
    recordValid(f);
    f.cluster.getSpec().setImageName("redis:7.4"); // a new pod spec, were it applied
    f.cluster.getSpec().getRedis().put("replicaof", "10.9.9.9 6379");
    Pass pass = pass(f);
    assertTrue(
        pass.plan().actions().stream()
            .noneMatch(
                a ->
                    a instanceof Action.Delete d
                        && d.kind() == io.fabric8.kubernetes.api.model.Pod.class),
        "no pod is recreated for the ignored edit: " + pass.plan().actions());
  }

  @Test
  void aClusterThatNeverHadAValidSpecStillStops() {
    PlannerFixture f = new PlannerFixture(0, null);
    Pass pass = pass(f);
    assertTrue(pass.plan().stopped());
    assertEquals(Phase.INVALID, pass.status().getPhase());
    assertEquals(null, pass.status().getLastValidSpec());
  }

  @Test
  void aClusterRunningBeforeTheAllowlistWithARefusedDirectiveIsStillFailedOver() {
    // An operator upgrade: the cluster ran under an older operator that accepted appendonly in
    // spec.redis, and no pass
    // has recorded a last valid spec yet.
    PlannerFixture f = FailoverStepsTest.redisProcessExited();
    f.cluster.getSpec().getRedis().put("appendonly", "no");
    f.cluster.getSpec().getRedis().put("maxmemory-policy", "allkeys-lru");
    assertEquals(null, f.cluster.getStatus().getLastValidSpec());
    Pass pass = pass(f);
    assertFalse(pass.plan().stopped(), "the cluster is still run");
    assertNotNull(pass.plan().decision(), "the failover starts: " + pass.plan().actions());
    assertEquals(List.of("c-0"), pass.plan().decision().fencedInstances());
    assertEquals(Phase.INVALID, pass.status().getPhase());
    assertTrue(
        pass.status().getPhaseReason().contains("spec.redis.appendonly"),
        pass.status().getPhaseReason());
    RedisClusterSpec recorded = pass.status().getLastValidSpec();
    assertFalse(
        recorded.getRedis().containsKey("appendonly"),
        "the refused directive is not run: " + recorded.getRedis());
    assertEquals(
        "allkeys-lru", recorded.getRedis().get("maxmemory-policy"), "the allowed ones are");
  }

  @Test
  void aClusterThatNeverRanWithARefusedDirectiveStops() {
    PlannerFixture f = new PlannerFixture(2, null);
    f.cluster.getSpec().getRedis().put("appendonly", "no");
    Pass pass = pass(f);
    assertTrue(pass.plan().stopped());
    assertEquals(Phase.INVALID, pass.status().getPhase());
  }
}
