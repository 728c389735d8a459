package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.event.EventReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the failover step and the status builder do with the planner's failover decisions (no
 * actors, no I/O).
 */
class FailoverStepsTest {

  /** c-0 recorded primary whose Redis process exited (its agent answers), c-1 a replica of it. */
  static PlannerFixture redisProcessExited() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.report(
        "c-0",
        s ->
            s.redisUp(false)
                .masterReplId(null)
                .replicationOffset(null)
                .restartCount(1)
                .redisProcessRunning(false));
    f.report(
        "c-1", s -> s.masterLinkUp(false).masterLastIoSecondsAgo(-1L).redisProcessRunning(true));
    return f;
  }

  @Test
  void aPrimaryNotAvailableBeforeTheClusterWasEverHealthyLeavesItCreating() {
    PlannerFixture f = redisProcessExited();
    f.owned.removeIf(o -> o.getMetadata().getName().equals("c-1"));
    f.reports.remove("c-1");
    Plan creating = f.plan(new FailoverReconcileStep());
    assertEquals(Phase.CREATING, creating.phase(), creating.phaseReason());
    assertTrue(creating.phaseReason().contains("no replica can be promoted"));
    f.cluster.getStatus().setPhase(Phase.HEALTHY);
    assertEquals(Phase.DEGRADED, f.plan(new FailoverReconcileStep()).phase());
  }

  @Test
  void thePromotionIsChainedBehindTheFenceOfTheOldPrimaryWhoseAgentAnswers() {
    PlannerFixture f = redisProcessExited();
    f.cluster.getStatus().setFencedInstances(List.of("c-0"));
    f.cluster.getStatus().setTargetPrimary("c-1");
    Plan plan = f.plan(new FailoverReconcileStep());
    Action.Promote promote =
        plan.actions().stream()
            .filter(Action.Promote.class::isInstance)
            .map(Action.Promote.class::cast)
            .findFirst()
            .orElseThrow();
    assertEquals("c-1", promote.pod());
    assertEquals(
        List.of(new Action.Fence("c-0", "10.0.0.1", "fenced by the operator before promoting c-1")),
        promote.fenceFirst());
    assertNotNull(
        promote.request().timeoutMillis(),
        "the agent must not act on it after the controller gave up");
    assertTrue(plan.finished(), "nothing else in the promotion's pass");
  }

  @Test
  void anAbandonedFailoverSetsTheTargetBackInTheSameDecision() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.cluster.getStatus().setFencedInstances(List.of("c-0"));
    f.cluster.getStatus().setTargetPrimary("c-1");
    // c-1, the target, has been silent for a minute: whatever its promote did, it is past its
    // self-fencing bound.
    PodReport target = f.reports.get("c-1");
    f.reports.put(
        "c-1",
        new PodReport(
            "c-1",
            target.podIP(),
            target.status(),
            PlannerFixture.NOW.minusSeconds(60),
            50,
            PollFailure.TIMEOUT,
            PlannerFixture.NOW,
            PlannerFixture.NOW.minusSeconds(59),
            0));
    Plan plan = f.plan(new FailoverReconcileStep());
    Durable decision = plan.decision();
    assertNotNull(decision);
    assertEquals(List.of(), decision.fencedInstances());
    assertEquals(
        "c-0", decision.targetPrimary(), "a target that turns up as primary later is not recorded");
    assertEquals(EventReason.FAILOVER_ABANDONED, plan.decisionEvent());
  }

  @Test
  void theDeletedPrimarysRecordedEntryIsKeptForItsReplicationId() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    RedisClusterStatus status = f.cluster.getStatus();
    InstanceStatusEntry recorded = new InstanceStatusEntry();
    recorded.setRole(InstanceRole.PRIMARY);
    recorded.setReplicationId("a".repeat(40));
    recorded.setPodIP("10.0.0.1");
    recorded.setRedisUp(true);
    status.getInstancesStatus().put("c-0", recorded);
    Plan plan = new Plan();
    plan.decide(
        Durable.of(status).withFenced("c-0"), EventReason.FENCED, "fencing c-0: its pod is gone");
    RedisClusterStatus next = StatusBuilder.build(f.input(), plan);
    InstanceStatusEntry kept = next.getInstancesStatus().get("c-0");
    assertNotNull(kept, "written in the same status as the fence");
    assertEquals("a".repeat(40), kept.getReplicationId());
    assertEquals(false, kept.getRedisUp());
    assertInstanceOf(InstanceStatusEntry.class, status.getInstancesStatus().get("c-0"));
    assertEquals(
        true,
        status.getInstancesStatus().get("c-0").getRedisUp(),
        "the cached status is not modified");
  }
}
