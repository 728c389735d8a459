package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.Labels;

/**
 * Records a switchover the old primary's agent has confirmed, in the pass right after its answer.
 * The answer is proof enough: that Redis demoted itself, follows the target, and the target
 * accepted {@code PSYNC FAILOVER}, so there is one primary and it is the target. Waiting for the
 * next poll of the target would keep clients of the {@code -leader} Service on a replica for up to
 * a poll interval, so the role labels move in the same pass as the status write: the target gets
 * {@code role=primary}, the old primary loses its label until a poll shows it as a replica. A
 * restarted operator has no such memory and records the target from its poll instead ({@link
 * io.redisoperator.controller.failover.FailoverPlanner}).
 */
public final class SwitchoverHandoffStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    Durable durable = in.durable();
    SwitchoverMemory memory = in.switchover();
    if (!memory.handedOver() || !memory.describes(durable) || durable.isFenced(memory.from())) {
      return;
    }
    String target = memory.target();
    String former = memory.from();
    String took = target + " took over from " + former;
    plan.phase(Phase.SWITCHING_OVER, took);
    plan.decide(
        durable.withPrimary(target, StatusTime.format(in.now())),
        EventReason.SWITCHED_OVER,
        target + " is the primary (was " + former + ")");
    plan.condition(
        ConditionType.SWITCHOVER_SUCCEEDED,
        ConditionStatus.TRUE,
        ConditionReason.SWITCHED_OVER,
        took);
    label(in, plan, target, Labels.ROLE_PRIMARY, "switched over: primary");
    label(in, plan, former, null, "switched over: no role until it reports replica");
  }

  private static void label(ReconcileInput in, Plan plan, String pod, String role, String why) {
    in.owned()
        .get(Pod.class, pod)
        .filter(p -> !DataPods.terminating(p))
        .ifPresent(
            p ->
                plan.alongsideDecision(
                    new Action.Patch(Pod.class, pod, RoleLabelStep.rolePatch(role), why)));
  }
}
