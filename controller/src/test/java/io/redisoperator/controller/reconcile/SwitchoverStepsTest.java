package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.failover.SwitchoverPlanner;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.Annotations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The switchover steps alone: a confirmed handoff is recorded and routed at once; a stuck one is
 * abandoned.
 */
class SwitchoverStepsTest {

  /**
   * c-0 primary, c-1 and c-2 replicas, a switchover to c-1 recorded {@code secondsAgo} before now.
   */
  private static PlannerFixture inFlight(long secondsAgo) {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.pod(2, InstanceRole.REPLICA, "10.0.0.1");
    f.cluster.getStatus().setTargetPrimary("c-1");
    f.cluster
        .getStatus()
        .setTargetPrimaryTimestamp(StatusTime.format(PlannerFixture.NOW.minusSeconds(secondsAgo)));
    return f;
  }

  private static void annotate(PlannerFixture f, String target) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(Annotations.SWITCHOVER_TO, target);
    f.cluster.getMetadata().setAnnotations(annotations);
  }

  @Test
  void aConfirmedHandoffIsRecordedWithBothLabelsInTheSamePass() {
    PlannerFixture f = inFlight(1);
    f.switchover = SwitchoverMemory.handedOver("c-0", "c-1");
    Plan plan = ReconcilePlanner.standard().plan(f.input());
    assertEquals("c-1", plan.decision().currentPrimary());
    assertEquals("c-1", plan.decision().targetPrimary());
    assertEquals(EventReason.SWITCHED_OVER, plan.decisionEvent());
    List<String> labelled =
        plan.actions().stream()
            .filter(a -> a instanceof Action.Patch p && p.kind() == Pod.class)
            .map(a -> ((Action.Patch) a).name() + "=" + ((Action.Patch) a).patch())
            .toList();
    assertEquals(
        2, labelled.size(), "only the two label patches go with the decision: " + plan.actions());
    assertTrue(
        labelled.get(0).startsWith("c-1=") && labelled.get(0).contains("\"primary\""),
        labelled.toString());
    assertTrue(
        labelled.get(1).startsWith("c-0=") && labelled.get(1).contains("null"),
        labelled.toString());
    assertTrue(
        plan.conditions().stream()
            .anyMatch(
                c ->
                    c.type() == ConditionType.SWITCHOVER_SUCCEEDED
                        && c.status() == ConditionStatus.TRUE));
  }

  @Test
  void aHandoffMemoryOfAnotherSwitchoverIsIgnored() {
    PlannerFixture f = inFlight(1);
    f.switchover = SwitchoverMemory.handedOver("c-0", "c-2");
    Plan plan = new Plan();
    new SwitchoverHandoffStep().plan(f.input(), plan);
    assertNull(plan.decision());
    assertTrue(plan.actions().isEmpty());
  }

  @Test
  void aSwitchoverWithinItsBoundsIsAttempted() {
    PlannerFixture f = inFlight(5);
    f.switchover =
        new SwitchoverMemory(
            "c-0", "c-1", false, SwitchoverPlanner.MAX_ATTEMPTS - 1, "did not catch up");
    Plan plan = f.plan(new SwitchoverStep());
    assertNull(plan.decision());
    assertTrue(
        plan.actions().stream().anyMatch(Action.Switchover.class::isInstance),
        plan.actions().toString());
  }

  @Test
  void afterTheLastFailedAttemptTheAnnotationIsConsumedFirst() {
    PlannerFixture f = inFlight(5);
    annotate(f, "c-1");
    f.switchover =
        new SwitchoverMemory(
            "c-0", "c-1", false, SwitchoverPlanner.MAX_ATTEMPTS, "did not catch up");
    Plan plan = f.plan(new SwitchoverStep());
    assertNull(plan.decision(), "the target stays recorded until the request is gone");
    assertEquals(1, plan.actions().size());
    Action.Patch patch = (Action.Patch) plan.actions().get(0);
    assertEquals(RedisCluster.class, patch.kind());
    assertTrue(String.valueOf(patch.patch()).contains(Annotations.SWITCHOVER_TO));
    assertFalse(plan.actions().stream().anyMatch(Action.Switchover.class::isInstance));
  }

  @Test
  void thenTheTargetIsClearedWithAWarningAndAConditionNamingWhy() {
    PlannerFixture f = inFlight(5);
    f.switchover =
        new SwitchoverMemory(
            "c-0", "c-1", false, SwitchoverPlanner.MAX_ATTEMPTS, "did not catch up");
    Plan plan = f.plan(new SwitchoverStep());
    assertEquals("c-0", plan.decision().currentPrimary());
    assertEquals("c-0", plan.decision().targetPrimary(), "target cleared");
    assertTrue(plan.decisionEvent().warning());
    assertEquals(EventReason.SWITCHOVER_ABANDONED, plan.decisionEvent());
    Plan.ConditionUpdate condition = plan.conditions().get(0);
    assertEquals(ConditionType.SWITCHOVER_SUCCEEDED, condition.type());
    assertEquals(ConditionStatus.FALSE, condition.status());
    assertEquals(ConditionReason.SWITCHOVER_ABANDONED, condition.reason());
    assertTrue(
        condition.message().contains("c-1") && condition.message().contains("did not catch up"),
        condition.message());
  }

  @Test
  void aSwitchoverInFlightTooLongIsAbandonedWithoutAnyMemory() {
    PlannerFixture f = inFlight(SwitchoverPlanner.GIVE_UP_AFTER_MILLIS / 1000 + 1);
    Plan plan = f.plan(new SwitchoverStep());
    assertEquals("c-0", plan.decision().targetPrimary(), "a restarted operator still gives up");
    assertTrue(plan.decisionReason().contains("not done within"), plan.decisionReason());
  }

  @Test
  void aFailoverInProgressIsNeverAbandonedByTheSwitchoverRules() {
    PlannerFixture f = inFlight(SwitchoverPlanner.GIVE_UP_AFTER_MILLIS / 1000 + 60);
    f.cluster.getStatus().setFencedInstances(List.of("c-0"));
    Plan plan = f.plan(new SwitchoverStep());
    assertNull(plan.decision());
  }

  @Test
  void aTargetBehindOnlyAsOfAnOldAnswerIsPolledAgainWithoutARefusal() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.pod(2, InstanceRole.REPLICA, "10.0.0.1");
    f.report("c-0", s -> s.replicationOffset(100_000_000L));
    // c-1's long-poll answered 5 s ago: its offset is that old.
    f.answeredAt("c-1", PlannerFixture.NOW.minusSeconds(5));
    annotate(f, "c-1");
    Plan plan = ReconcilePlanner.standard().plan(f.input());
    assertEquals(List.of("c-1"), plan.pollNow());
    assertFalse(
        plan.actions().stream().anyMatch(Action.Emit.class::isInstance),
        "no SwitchoverRefused event: " + plan.actions());
    assertNull(plan.decision(), "nothing recorded yet");
  }
}
