package io.redisoperator.controller.reconcile;

import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.event.EventReason;
import java.util.List;

/**
 * Runs the reconcile steps in order over one input. An invalid spec is reported (phase Invalid, a
 * Ready=False condition and one Warning event naming the fields) and nothing of it is applied: the
 * steps run on the last valid spec, or, for a cluster that never had one, nothing of it is touched.
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
            // Before the pods: they mount the ACL and operator-auth Secrets.
            new AclStep(),
            new AgentTlsStep(),
            new RedisTlsStep(),
            // Before anything that can end the pass: an upgrade from before ACL users stalls
            // without it.
            new LegacyUsersStep(),
            // Before BootstrapStep and HibernationStep, which can end the pass.
            new SentinelStep(),
            new BootstrapStep(),
            new HibernationStep(),
            // Before FailoverReconcileStep: a confirmed handoff is recorded before anything judges
            // the old primary.
            new SwitchoverHandoffStep(),
            new FailoverReconcileStep(),
            new FenceSyncStep(),
            new SwitchoverStep(),
            new RollingUpdateStep(),
            new InstancesStep(),
            new RoleLabelStep()));
  }

  /** Plans over the spec in force for {@code in}'s cluster (see {@link SpecInForce}). */
  public Plan plan(ReconcileInput in) {
    SpecInForce spec = SpecInForce.of(in.cluster());
    return plan(in.withCluster(spec.cluster()), spec);
  }

  /**
   * Plans a pass whose input already carries {@code spec.cluster()}. An invalid edit gets phase
   * Invalid, a Ready=False condition and one Warning event naming the fields; with a last valid
   * spec every step still runs on that one.
   */
  public Plan plan(ReconcileInput in, SpecInForce spec) {
    Plan plan = new Plan();
    if (!spec.valid()) {
      String message = spec.message();
      plan.phase(Phase.INVALID, message);
      boolean alreadyReported =
          in.cluster().getStatus() != null
              && Conditions.find(in.cluster().getStatus().getConditions(), ConditionType.READY)
                  .map(c -> message.equals(c.getMessage()))
                  .orElse(false);
      if (!alreadyReported) {
        plan.add(new Action.Emit(EventReason.INVALID_SPEC, message));
      }
      if (!spec.fallingBack()) {
        plan.stop();
        return plan;
      }
    }
    // A brand-new cluster's first pass only records its first primary: the decision is written
    // alone and discards whatever else was planned, so the steps before it built every object and
    // issued the agent CA and every pod's certificate (key pairs, signatures: most of a pass's CPU
    // at start-up) for nothing, and the next pass built them again.
    boolean recordingFirstPrimary = BootstrapStep.recordsFirstPrimary(in);
    for (ReconcileStep step : steps) {
      if (recordingFirstPrimary && !(step instanceof BootstrapStep)) {
        continue;
      }
      step.plan(in, plan);
      if (plan.finished()) {
        break;
      }
    }
    if (plan.decision() != null) {
      // A decision is written alone; whatever else was planned is planned again from the new
      // status.
      plan.actions().clear();
      plan.actions().addAll(plan.actionsWithDecision());
    }
    return plan;
  }
}
