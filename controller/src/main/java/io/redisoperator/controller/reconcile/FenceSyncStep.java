package io.redisoperator.controller.reconcile;

import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.UserFencing;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.event.EventReason;
import java.util.Optional;

/**
 * Makes each agent's fence match what is wanted: fenced while the operator (status) or a human
 * (annotation) fences the pod, unfenced otherwise. Only agents that answer are told; the request is
 * not repeated while its effect may not have shown in a poll yet.
 */
public final class FenceSyncStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    reportAnnotation(in, plan);
    for (InstanceObservation o : in.observation().instances().values()) {
      if (o.podIP() == null || o.lastStatus() == null || o.consecutiveFailures() > 0) {
        continue;
      }
      boolean wanted = in.fenced(o.podName());
      boolean fenced = o.lastStatus().fenced();
      if (wanted && !fenced) {
        String why =
            in.durable().isFenced(o.podName()) ? "fenced by the operator" : "fenced by annotation";
        planUnlessRecent(in, plan, new Action.Fence(o.podName(), o.podIP(), why));
      } else if (!wanted && fenced) {
        planUnlessRecent(in, plan, new Action.Unfence(o.podName(), o.podIP()));
      }
    }
  }

  private static void planUnlessRecent(
      ReconcileInput in, Plan plan, Action.AgentOperation operation) {
    if (!in.recentlyRequested().test(operation.cooldownKey())) {
      plan.add(operation);
    }
  }

  /**
   * A fencing annotation that cannot be read (not a list, or naming no instance) is reported with a
   * False condition and one Warning event; once it is fixed the condition turns True.
   */
  private static void reportAnnotation(ReconcileInput in, Plan plan) {
    UserFencing fencing = in.observation().userFencing();
    Optional<String> previous =
        in.cluster().getStatus() == null
            ? Optional.empty()
            : Conditions.find(
                    in.cluster().getStatus().getConditions(),
                    ConditionType.FENCING_ANNOTATION_VALID)
                .map(c -> String.valueOf(c.getMessage()));
    if (fencing.problem().isPresent()) {
      String message = fencing.problem().get();
      plan.condition(
          ConditionType.FENCING_ANNOTATION_VALID,
          ConditionStatus.FALSE,
          ConditionReason.FENCING_ANNOTATION_UNREADABLE,
          message);
      if (!previous.equals(Optional.of(message))) {
        plan.add(new Action.Emit(EventReason.FENCING_ANNOTATION_UNREADABLE, message));
      }
    } else if (fencing.present() || previous.isPresent()) {
      String message =
          !fencing.present()
              ? "no fencing annotation"
              : fencing.all()
                  ? "every instance is fenced"
                  : "fences " + String.join(", ", new java.util.TreeSet<>(fencing.pods()));
      plan.condition(
          ConditionType.FENCING_ANNOTATION_VALID,
          ConditionStatus.TRUE,
          ConditionReason.FENCING_ANNOTATION_READ,
          message);
    }
  }
}
