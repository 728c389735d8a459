package io.redisoperator.controller.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redisoperator.controller.failover.Candidate;
import io.redisoperator.controller.failover.CandidateSelector;
import io.redisoperator.controller.failover.SwitchoverPlan;
import io.redisoperator.controller.failover.SwitchoverPlanner;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.Annotations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Planned switchover: requested by the {@code redis.io/switchover-to} annotation (consumed once the
 * target is primary) or by {@code status.targetPrimary}, or needed because a scale down removes the
 * primary's ordinal. The target is recorded in status first; then the current primary's agent hands
 * over without losing acknowledged writes.
 */
public final class SwitchoverStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    String primary = in.durable().currentPrimary();
    if (primary == null) {
      return;
    }
    if (giveUp(in, plan)) {
      return;
    }
    Optional<String> requested = SwitchoverPlanner.requestedTarget(in.observation());
    if (requested.isEmpty()) {
      requested = scaleDownTarget(in, primary);
    }
    if (requested.isEmpty()) {
      NodeDrainStep.plan(in, plan);
      return;
    }
    String target = requested.get();
    SwitchoverPlanner.Decision decision = SwitchoverPlanner.plan(in.observation(), target);
    if (decision instanceof SwitchoverPlanner.AlreadyPrimary) {
      if (in.annotation(Annotations.SWITCHOVER_TO) != null) {
        plan.add(
            new Action.Patch(
                RedisCluster.class,
                in.name(),
                removeAnnotation(Annotations.SWITCHOVER_TO),
                "switchover to " + target + " done"));
      }
    } else if (decision instanceof SwitchoverPlanner.PollTargetFirst poll) {
      // Not refused on an old offset: the target's answer to this poll brings the next pass.
      plan.pollNow(poll.target());
    } else if (decision instanceof SwitchoverPlanner.Refuse refuse) {
      String reason = "switchover to " + target + " refused: " + refuse.reason();
      plan.phase(Phase.DEGRADED, reason);
      String previous =
          in.cluster().getStatus() == null ? null : in.cluster().getStatus().getPhaseReason();
      if (!Objects.equals(previous, reason)) {
        plan.add(new Action.Emit(EventReason.SWITCHOVER_REFUSED, reason));
      }
    } else if (decision instanceof SwitchoverPlanner.Proceed proceed) {
      start(in, plan, proceed.plan(), null);
    }
  }

  /**
   * Records the target, then (next pass) asks the primary's agent to hand over; {@code cause} may
   * be null.
   */
  static void start(ReconcileInput in, Plan plan, SwitchoverPlan switchover, String cause) {
    Durable durable = in.durable();
    String what =
        "switching over from "
            + switchover.primary()
            + " to "
            + switchover.target()
            + (cause == null ? "" : " (" + cause + ")");
    plan.phase(Phase.SWITCHING_OVER, what);
    if (!switchover.target().equals(durable.targetPrimary())) {
      plan.decide(
          durable.withTarget(switchover.target(), StatusTime.format(in.now())),
          EventReason.SWITCHOVER_STARTED,
          what);
      return;
    }
    plan.add(
        new Action.Switchover(
            switchover.primary(),
            switchover.primaryIP(),
            switchover.target(),
            switchover.request()));
    plan.stop();
  }

  /**
   * Ends a switchover in flight that failed {@link SwitchoverPlanner#MAX_ATTEMPTS} times or for too
   * long: first the request annotation is consumed (else it would start the same switchover again),
   * then status.targetPrimary is set back to the primary that never stopped serving, with a Warning
   * event and the SwitchoverSucceeded condition naming why. The cluster returns to Healthy.
   */
  private static boolean giveUp(ReconcileInput in, Plan plan) {
    Durable durable = in.durable();
    String primary = durable.currentPrimary();
    String target = durable.targetPrimary();
    if (target == null || target.equals(primary) || durable.isFenced(primary)) {
      return false; // nothing in flight, or a failover (which has its own rules)
    }
    SwitchoverMemory memory =
        in.switchover().describes(durable) ? in.switchover() : SwitchoverMemory.NONE;
    String lastFailure = memory.lastFailure() != null ? memory.lastFailure() : refusalShown(in);
    Optional<String> reason =
        SwitchoverPlanner.giveUpReason(
            memory.failedAttempts(), inFlightMillis(in, durable), lastFailure);
    if (reason.isEmpty()) {
      return false;
    }
    String message = "switchover from " + primary + " to " + target + " abandoned: " + reason.get();
    plan.phase(Phase.SWITCHING_OVER, message);
    if (in.annotation(Annotations.SWITCHOVER_TO) != null) {
      plan.add(
          new Action.Patch(
              RedisCluster.class,
              in.name(),
              removeAnnotation(Annotations.SWITCHOVER_TO),
              "switchover to " + target + " abandoned"));
      plan.stop();
      return true;
    }
    plan.decide(
        durable.withTarget(primary, StatusTime.format(in.now())),
        EventReason.SWITCHOVER_ABANDONED,
        message);
    plan.condition(
        ConditionType.SWITCHOVER_SUCCEEDED,
        ConditionStatus.FALSE,
        ConditionReason.SWITCHOVER_ABANDONED,
        message);
    return true;
  }

  /** A refusal the previous pass showed as the phase reason (the planner's words), else null. */
  private static String refusalShown(ReconcileInput in) {
    String shown =
        in.cluster().getStatus() == null ? null : in.cluster().getStatus().getPhaseReason();
    return shown != null && shown.contains(" refused: ") ? shown : null;
  }

  private static long inFlightMillis(ReconcileInput in, Durable durable) {
    if (durable.targetPrimaryTimestamp() == null) {
      return 0;
    }
    try {
      return Duration.between(Instant.parse(durable.targetPrimaryTimestamp()), in.now()).toMillis();
    } catch (DateTimeParseException e) {
      return Long.MAX_VALUE; // an unreadable record cannot keep a switchover alive forever
    }
  }

  /** The primary's ordinal is being scaled away: hand over to the best replica that stays. */
  private static Optional<String> scaleDownTarget(ReconcileInput in, String primary) {
    if (DataPods.ordinal(in, primary) < in.instances()) {
      return Optional.empty();
    }
    return CandidateSelector.ranked(in.observation(), primary).stream()
        .filter(c -> c.ordinal() < in.instances())
        .map(Candidate::podName)
        .findFirst();
  }

  static String removeAnnotation(String key) {
    ObjectNode patch = Json.mapper().createObjectNode();
    patch.putObject("metadata").putObject("annotations").putNull(key);
    return patch.toString();
  }
}
