package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.rollout.RolloutDecision;
import io.redisoperator.controller.rollout.RolloutPlanner;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.PrimaryUpdateStrategy;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Annotations;

/**
 * Executes {@link RolloutPlanner}: one outdated pod at a time is deleted (the instances step
 * recreates it on its PVC with the current spec), the primary last by switchover, after approval
 * when supervised. The approval annotation is consumed when the rollout it approved is complete.
 */
public final class RollingUpdateStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    if (in.durable().currentPrimary() == null) {
      return;
    }
    RolloutDecision step = RolloutPlanner.next(in.observation());
    if (step instanceof RolloutDecision.Done) {
      boolean supervised =
          in.cluster().getSpec().getPrimaryUpdateStrategy() == PrimaryUpdateStrategy.SUPERVISED;
      if (supervised && in.annotation(Annotations.APPROVE_PRIMARY_UPDATE) != null) {
        plan.add(
            new Action.Patch(
                RedisCluster.class,
                in.name(),
                SwitchoverStep.removeAnnotation(Annotations.APPROVE_PRIMARY_UPDATE),
                "approval used"));
      }
    } else if (step instanceof RolloutDecision.RecreateReplica r) {
      recreate(in, plan, r.pod(), "rolling update: recreating replica " + r.pod());
    } else if (step instanceof RolloutDecision.RecreateFormerPrimary r) {
      recreate(in, plan, r.pod(), "rolling update: recreating former primary " + r.pod());
    } else if (step instanceof RolloutDecision.RecreateSoleInstance r) {
      recreate(in, plan, r.pod(), "rolling update: recreating the only instance " + r.pod());
    } else if (step instanceof RolloutDecision.WaitFor wait) {
      plan.phase(Phase.UPDATING, "rolling update waits: " + wait.reason());
    } else if (step instanceof RolloutDecision.PollCandidate poll) {
      plan.phase(Phase.UPDATING, "rolling update waits: " + poll.reason());
      plan.pollNow(poll.pod());
    } else if (step instanceof RolloutDecision.AwaitApproval wait) {
      plan.phase(
          Phase.WAITING_FOR_USER,
          wait.reason() + " (annotate " + Annotations.APPROVE_PRIMARY_UPDATE + ")");
    } else if (step instanceof RolloutDecision.SwitchoverPrimary switchover) {
      SwitchoverStep.start(in, plan, switchover.plan(), "rolling update");
    }
  }

  private static void recreate(ReconcileInput in, Plan plan, String pod, String reason) {
    plan.phase(Phase.UPDATING, reason);
    in.owned()
        .get(Pod.class, pod)
        .filter(p -> !DataPods.terminating(p))
        .ifPresent(p -> plan.add(new Action.Delete(Pod.class, pod, "rolling update")));
  }
}
