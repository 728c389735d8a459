package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.event.EventReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cordoned primary node: the primary moves to a replica on another node before the drain's
 * eviction needs it.
 */
class NodeDrainStepTest {

  /** c-0 (primary) on node-a, c-1 on node-b, c-2 on node-c. */
  private static PlannerFixture threeNodes() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null).getSpec().setNodeName("node-a");
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1").getSpec().setNodeName("node-b");
    f.pod(2, InstanceRole.REPLICA, "10.0.0.1").getSpec().setNodeName("node-c");
    return f;
  }

  private static Plan pass(PlannerFixture f) {
    return ReconcilePlanner.standard().plan(f.input());
  }

  @Test
  void nothingMovesWhileThePrimarysNodeIsSchedulable() {
    PlannerFixture f = threeNodes();
    f.cordoned.add("node-b");
    Plan plan = pass(f);
    assertNull(plan.decision(), "a replica's node cordoned moves no primary: " + plan.actions());
  }

  @Test
  void aCordonedPrimaryNodeStartsASwitchoverToAReplicaOnAnotherNode() {
    PlannerFixture f = threeNodes();
    f.cordoned.add("node-a");
    Plan plan = pass(f);
    assertNotNull(plan.decision(), "the target is recorded: " + plan.actions());
    assertEquals("c-0", plan.decision().currentPrimary());
    assertEquals(
        "c-1", plan.decision().targetPrimary(), "the best replica (equal offsets: lowest ordinal)");
    assertTrue(plan.decisionReason().contains("node-a is cordoned"), plan.decisionReason());

    // The next pass (target recorded) asks the primary's agent to hand over, as any switchover
    // does.
    f.cluster.setStatus(StatusBuilder.build(f.input(), plan));
    Plan next = pass(f);
    List<Action.Switchover> handoffs =
        next.actions().stream()
            .filter(Action.Switchover.class::isInstance)
            .map(Action.Switchover.class::cast)
            .toList();
    assertEquals(1, handoffs.size(), next.actions().toString());
    assertEquals("c-1", handoffs.get(0).target());
  }

  @Test
  void aCandidateBehindOnlyAsOfAnOldAnswerIsPolledAgainWithoutBlockingTheDrain() {
    PlannerFixture f = threeNodes();
    f.cordoned.add("node-a");
    f.cordoned.add("node-c");
    f.report("c-0", s -> s.replicationOffset(100_000_000L));
    // c-1's long-poll answered 5 s ago: its offset is that old.
    f.answeredAt("c-1", PlannerFixture.NOW.minusSeconds(5));
    Plan plan = pass(f);
    assertEquals(List.of("c-1"), plan.pollNow());
    assertNull(plan.decision(), "nothing recorded yet");
    assertTrue(
        plan.actions().stream().noneMatch(Action.Emit.class::isInstance),
        "no NodeDrainBlocked event: " + plan.actions());

    f.answeredAt("c-1", PlannerFixture.NOW);
    Plan fresh = pass(f);
    assertTrue(
        fresh.actions().stream()
            .anyMatch(
                a -> a instanceof Action.Emit e && e.reason() == EventReason.NODE_DRAIN_BLOCKED),
        "as fresh as the primary's answer, the lag blocks the drain: " + fresh.actions());
  }

  @Test
  void aReplicaOnACordonedNodeIsNotTheTarget() {
    PlannerFixture f = threeNodes();
    f.cordoned.add("node-a");
    f.cordoned.add("node-b");
    Plan plan = pass(f);
    assertNotNull(plan.decision(), plan.actions().toString());
    assertEquals("c-2", plan.decision().targetPrimary());
  }

  @Test
  void aSingleInstanceOnACordonedNodeStaysAndTheClusterSaysWhyOnce() {
    PlannerFixture f = new PlannerFixture(1, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null).getSpec().setNodeName("node-a");
    f.cordoned.add("node-a");
    Plan plan = pass(f);
    assertNull(plan.decision());
    assertEquals(Phase.DEGRADED, plan.phase());
    assertTrue(plan.phaseReason().contains("cordoned node node-a"), plan.phaseReason());
    List<Action.Emit> events =
        plan.actions().stream()
            .filter(Action.Emit.class::isInstance)
            .map(Action.Emit.class::cast)
            .toList();
    assertEquals(1, events.size(), plan.actions().toString());
    assertEquals(EventReason.NODE_DRAIN_BLOCKED, events.get(0).reason());

    f.cluster.setStatus(StatusBuilder.build(f.input(), plan));
    assertTrue(
        pass(f).actions().stream().noneMatch(Action.Emit.class::isInstance), "reported once");
  }
}
