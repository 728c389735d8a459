package io.redisoperator.controller.cluster;

import io.redisoperator.controller.sentinel.SentinelStep;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.validation.FieldError;
import io.redisoperator.protocol.validation.RedisClusterValidator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the reconcile steps in order over one input. An invalid spec stops everything: the cluster gets a Ready=False
 * condition and one Warning event naming the fields, and nothing else of it is touched.
 */
public final class ReconcilePlanner {
  private final List<ReconcileStep> steps;

  public ReconcilePlanner(List<ReconcileStep> steps) {
    this.steps = List.copyOf(steps);
  }

  public static ReconcilePlanner standard() {
    return new ReconcilePlanner(
        List.of(
            new SupportObjectsStep(),
            new AgentTlsStep(),
            new RedisTlsStep(),
            // Before BootstrapStep and HibernationStep, which can end the pass.
            new SentinelStep(),
            new BootstrapStep(),
            new HibernationStep(),
            // Before FailoverReconcileStep: a confirmed handoff is recorded before anything judges the old primary.
            new SwitchoverHandoffStep(),
            new FailoverReconcileStep(),
            new FenceSyncStep(),
            new SwitchoverStep(),
            new RollingUpdateStep(),
            new InstancesStep(),
            new RoleLabelStep()));
  }

  public Plan plan(ReconcileInput in) {
    Plan plan = new Plan();
    List<FieldError> errors = RedisClusterValidator.validate(in.cluster());
    if (!errors.isEmpty()) {
      String message = "invalid spec: " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
      plan.phase(Phase.INVALID, message);
      boolean alreadyReported =
          in.cluster().getStatus() != null
              && Conditions.find(in.cluster().getStatus().getConditions(), ConditionType.READY)
                  .map(c -> message.equals(c.getMessage()))
                  .orElse(false);
      if (!alreadyReported) {
        plan.add(new Action.Emit(true, "InvalidSpec", message));
      }
      plan.stop();
      return plan;
    }
    for (ReconcileStep step : steps) {
      step.plan(in, plan);
      if (plan.finished()) {
        break;
      }
    }
    if (plan.decision() != null) {
      // A decision is written alone; whatever else was planned is planned again from the new status.
      plan.actions().clear();
      plan.actions().addAll(plan.actionsWithDecision());
    }
    return plan;
  }
}
