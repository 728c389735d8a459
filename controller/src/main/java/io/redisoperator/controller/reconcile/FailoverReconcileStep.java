package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.failover.FailoverDecision;
import io.redisoperator.controller.failover.FailoverPlanner;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executes what {@link FailoverPlanner} decides, in the order that keeps one writable primary:
 * every status change (fence, target, new primary, unfence) is a durable decision written alone
 * with the resourceVersion as precondition; the fenced pod loses its role label before anyone is
 * promoted; the promotion itself is alone in its pass.
 */
public final class FailoverReconcileStep implements ReconcileStep {
  private static final Duration CATCH_UP_RECHECK = Duration.ofMillis(250);

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    List<FailoverDecision> steps = FailoverPlanner.next(in.observation());
    Durable durable = in.durable();
    String now = StatusTime.format(in.now());
    for (FailoverDecision step : steps) {
      if (step instanceof FailoverDecision.Watch watch) {
        // A suspect primary (a failed poll or two) is not news: the status changes only when the
        // verdict does.
        if (watch.recheck() != null) {
          plan.pollNow(watch.recheck());
        }
        continue;
      } else if (step instanceof FailoverDecision.Fence fence) {
        if (!durable.isFenced(fence.pod())) {
          plan.phase(Phase.FAILING_OVER, fence.reason());
          plan.decide(
              durable.withFenced(fence.pod()),
              EventReason.FENCED,
              "fencing " + fence.pod() + ": " + fence.reason());
          return;
        }
        plan.phase(Phase.FAILING_OVER, fence.pod() + " is fenced");
        removeRoleLabel(in, plan, fence.pod());
        // The POST /v1/fence itself is sent by FenceSyncStep, which covers every fenced pod.
      } else if (step instanceof FailoverDecision.AwaitPromotionSafety wait) {
        // The planner's reason names a moving deadline; the status keeps a stable sentence, the
        // timer the deadline.
        plan.phase(
            Phase.FAILING_OVER,
            "waiting until " + durable.currentPrimary() + " must have stopped accepting writes");
        plan.wakeAt(wait.notBefore());
      } else if (step instanceof FailoverDecision.AwaitCandidate wait) {
        // The planner's reason counts failed polls; the status gets a stable sentence so it is not
        // rewritten per poll.
        boolean failingOver = durable.isFenced(String.valueOf(durable.currentPrimary()));
        // A cluster being created waits for its first primary's answer: not a degradation.
        plan.phase(
            failingOver
                ? Phase.FAILING_OVER
                : StatusBuilder.beingCreated(in.cluster().getStatus())
                    ? Phase.CREATING
                    : Phase.DEGRADED,
            "primary "
                + durable.currentPrimary()
                + " is not available and no replica can be promoted"
                + (wait.reason().contains("no replica") ? "" : ": " + wait.reason()));
      } else if (step instanceof FailoverDecision.Promote promote) {
        String candidate = promote.candidate().podName();
        plan.phase(
            Phase.FAILING_OVER, "promoting " + candidate + " in place of " + promote.oldPrimary());
        if (!candidate.equals(durable.targetPrimary())) {
          plan.decide(
              durable.withTarget(candidate, now),
              EventReason.FAILOVER_TARGET,
              "failing over from " + promote.oldPrimary() + " to " + candidate);
          return;
        }
        removeRoleLabel(in, plan, promote.oldPrimary());
        // The fences are confirmed before the promotion is sent (the executor chains them):
        // FenceSyncStep does not run
        // in this pass, and a fence sent alongside would race the promotion.
        List<Action.Fence> fences =
            promote.fenceFirst().stream()
                .flatMap(
                    pod ->
                        in.instance(pod).map(InstanceObservation::podIP).stream()
                            .map(
                                ip ->
                                    new Action.Fence(
                                        pod,
                                        ip,
                                        "fenced by the operator before promoting " + candidate)))
                .toList();
        plan.add(
            new Action.Promote(
                candidate,
                promote.candidate().podIP(),
                promote.candidate().promoteRequest(),
                fences));
        plan.stop();
        return;
      } else if (step instanceof FailoverDecision.AwaitCatchUp wait) {
        plan.phase(
            Phase.FAILING_OVER,
            "waiting for "
                + wait.candidate()
                + " to receive the writes "
                + durable.currentPrimary()
                + " still has");
        if (!wait.candidate().equals(durable.targetPrimary())) {
          // The target write dates the wait, so that it stays bounded across operator restarts.
          plan.decide(
              durable.withTarget(wait.candidate(), now),
              EventReason.FAILOVER_TARGET,
              "failing over from "
                  + durable.currentPrimary()
                  + " to "
                  + wait.candidate()
                  + " once it has caught up");
          return;
        }
        // Offsets alone do not trigger a pass: look again soon.
        Instant soon = in.now().plus(CATCH_UP_RECHECK);
        plan.wakeAt(wait.until() != null && wait.until().isBefore(soon) ? wait.until() : soon);
      } else if (step instanceof FailoverDecision.Abandon abandon) {
        plan.decide(
            durable.withoutFenced(abandon.pod()).withTarget(abandon.pod(), now),
            EventReason.FAILOVER_ABANDONED,
            abandon.reason());
        return;
      } else if (step instanceof FailoverDecision.RecordPrimary record) {
        boolean failover = durable.isFenced(record.formerPrimary());
        plan.decide(
            durable.withPrimary(record.pod(), now),
            failover ? EventReason.FAILED_OVER : EventReason.SWITCHED_OVER,
            record.pod() + " is the primary (was " + record.formerPrimary() + ")");
        routeToRecordedPrimary(in, plan, record.pod());
        if (!failover) {
          plan.condition(
              ConditionType.SWITCHOVER_SUCCEEDED,
              ConditionStatus.TRUE,
              ConditionReason.SWITCHED_OVER,
              record.pod() + " took over from " + record.formerPrimary());
        }
        return;
      } else if (step instanceof FailoverDecision.Repoint repoint) {
        Optional<InstanceObservation> instance = in.instance(repoint.pod());
        if (instance.isPresent() && instance.get().podIP() != null) {
          Action.Replicate replicate =
              new Action.Replicate(
                  repoint.pod(),
                  instance.get().podIP(),
                  repoint.primaryPod(),
                  repoint.host(),
                  repoint.port());
          if (!in.recentlyRequested().test(replicate.cooldownKey())) {
            plan.add(replicate);
          }
        }
      } else if (step instanceof FailoverDecision.AwaitRepoint wait) {
        plan.wakeAt(wait.notBefore());
      } else if (step instanceof FailoverDecision.Unfence unfence) {
        if (durable.isFenced(unfence.pod())) {
          plan.decide(
              durable.withoutFenced(unfence.pod()), EventReason.FENCE_CLEARED, unfence.reason());
          return;
        }
      }
    }
  }

  /**
   * The pod being recorded answers as the primary and is the only possible writer (the gate saw to
   * that), whatever the status write's fate: the Services route clients to it in the same pass, not
   * one pass after the write.
   */
  private static void routeToRecordedPrimary(ReconcileInput in, Plan plan, String pod) {
    in.owned()
        .get(Pod.class, pod)
        .ifPresent(
            p -> {
              Map<String, String> labels = p.getMetadata().getLabels();
              boolean labelled =
                  labels != null && Labels.ROLE_PRIMARY.equals(labels.get(Labels.ROLE));
              if (!labelled && !in.fenced(pod) && !DataPods.terminating(p)) {
                plan.alongsideDecision(
                    new Action.Patch(
                        Pod.class,
                        pod,
                        RoleLabelStep.rolePatch(Labels.ROLE_PRIMARY),
                        "recorded primary: route clients to it"));
              }
            });
  }

  /**
   * The Services route by this label: a fenced or replaced primary must stop receiving clients
   * first.
   */
  private static void removeRoleLabel(ReconcileInput in, Plan plan, String pod) {
    in.owned()
        .get(Pod.class, pod)
        .ifPresent(
            p -> {
              Map<String, String> labels = p.getMetadata().getLabels();
              if (labels != null && labels.get(Labels.ROLE) != null && !DataPods.terminating(p)) {
                plan.add(
                    new Action.Patch(
                        Pod.class, pod, RoleLabelStep.rolePatch(null), "fenced: no role"));
              }
            });
  }
}
