package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.naming.Annotations;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Validates a requested switchover (annotation {@code redis.io/switchover-to} or {@code
 * status.targetPrimary}) and turns it into a {@link SwitchoverPlan}, or refuses with a reason the
 * user can act on.
 */
public final class SwitchoverPlanner {
  private SwitchoverPlanner() {}

  /**
   * Writes stay paused at most this long while the target catches up; then the agent resumes writes
   * on the old primary and the switchover is refused, nothing lost.
   */
  public static final long HANDOFF_TIMEOUT_MILLIS = 2000;

  /**
   * A switchover whose handoff failed this many times is abandoned (the primary stays, the request
   * is consumed).
   */
  public static final int MAX_ATTEMPTS = 3;

  /**
   * A switchover still in flight this long after its target was recorded is abandoned, whatever the
   * reason (refused each time, or attempts a restarted operator no longer counts). Room for {@link
   * #MAX_ATTEMPTS} handoffs with the retry pause between them.
   */
  public static final long GIVE_UP_AFTER_MILLIS = 30_000;

  /**
   * A target further behind than this is refused: it could not catch up within the handoff timeout.
   */
  public static final long MAX_TARGET_LAG_BYTES = 8L * 1024 * 1024;

  /** The answer of the planner. */
  public sealed interface Decision permits Proceed, Refuse, PollTargetFirst, AlreadyPrimary {}

  public record Proceed(SwitchoverPlan plan) implements Decision {}

  /** Not now or not this target: the reason goes into an event and the phase reason. */
  public record Refuse(String reason) implements Decision {}

  /**
   * The target looks too far behind only as of an answer older than the primary's ({@link
   * #offsetTooOld}, a long-polled replica): poll it now and decide on its answer, without an event.
   */
  public record PollTargetFirst(String target, String reason) implements Decision {}

  /**
   * The requested target already is the primary: the request is fulfilled (remove the annotation).
   */
  public record AlreadyPrimary(String pod) implements Decision {}

  /**
   * The pod the user asked for: the annotation first, else {@code status.targetPrimary} when it
   * differs from {@code currentPrimary} outside a failover (the recorded primary is not fenced).
   */
  public static Optional<String> requestedTarget(ClusterObservation observation) {
    Map<String, String> annotations = observation.cluster().getMetadata().getAnnotations();
    String annotated = annotations == null ? null : annotations.get(Annotations.SWITCHOVER_TO);
    if (annotated != null && !annotated.isBlank()) {
      return Optional.of(annotated.trim());
    }
    Optional<String> primary = observation.currentPrimary();
    return PromotionGate.targetPrimary(observation)
        .filter(target -> primary.isPresent() && !target.equals(primary.get()))
        .filter(target -> !FailoverPlanner.fenced(observation).contains(primary.get()));
  }

  /**
   * Why a switchover in flight must be given up now, if it must: too many failed handoffs, or too
   * long since its target was recorded. {@code lastFailure} (the last handoff failure or refusal)
   * goes into the reason.
   */
  public static Optional<String> giveUpReason(
      int failedAttempts, long inFlightMillis, String lastFailure) {
    String cause = lastFailure == null ? "" : ": " + lastFailure;
    if (failedAttempts >= MAX_ATTEMPTS) {
      return Optional.of(failedAttempts + " attempts failed" + cause);
    }
    if (inFlightMillis > GIVE_UP_AFTER_MILLIS) {
      return Optional.of("not done within " + GIVE_UP_AFTER_MILLIS / 1000 + " s" + cause);
    }
    return Optional.empty();
  }

  public static Decision plan(ClusterObservation observation, String target) {
    Optional<String> recorded = observation.currentPrimary();
    if (recorded.isEmpty()) {
      return new Refuse("no primary is recorded yet");
    }
    String primary = recorded.get();
    if (primary.equals(target)) {
      return new AlreadyPrimary(target);
    }
    InstanceObservation primaryInstance = observation.instance(primary).orElse(null);
    if (FailoverPlanner.fenced(observation).contains(primary)) {
      return new Refuse("a failover from " + primary + " is in progress");
    }
    if (!ReplicationRepair.servingPrimary(primaryInstance) || primaryInstance.podIP() == null) {
      return new Refuse(
          "primary " + primary + " is not answering; failover, not switchover, handles that");
    }
    if (InstanceEvidence.fenceAcknowledged(primaryInstance)) {
      return new Refuse("primary " + primary + " is fenced");
    }
    Optional<InstanceObservation> found = observation.instance(target);
    if (found.isEmpty() || found.get().podPhase() == PodPhase.MISSING) {
      return new Refuse("switchover target " + target + " does not exist");
    }
    return validateTarget(observation, primaryInstance, found.get());
  }

  /**
   * Whether the target's offset was read more than one poll interval before the primary's: a
   * replica whose status is long-polled reports its offset only when its status version moves or
   * its hold ends (up to 8 s), and the version does not move with the offset, so its lag measured
   * against the primary's fresh offset grows with the primary's writes. Without long-polls a
   * replica is polled every interval, and its answer is rarely older than that.
   */
  public static boolean offsetTooOld(
      ClusterObservation observation, InstanceObservation primary, InstanceObservation target) {
    if (target.lastSeen() == null || primary.lastSeen() == null) {
      return false;
    }
    Duration interval =
        Duration.ofMillis(
            PrimaryHealthAssessor.failoverSpec(observation).pollIntervalMillisOrDefault());
    return target.lastSeen().isBefore(primary.lastSeen().minus(interval));
  }

  private static Decision validateTarget(
      ClusterObservation observation, InstanceObservation primary, InstanceObservation target) {
    String name = target.podName();
    if (target.podPhase() != PodPhase.RUNNING) {
      return new Refuse(
          "switchover target " + name + " is not running (" + target.podPhase() + ")");
    }
    if (!target.answering()) {
      return new Refuse("switchover target " + name + " does not answer with Redis up");
    }
    if (observation.fenced(name) || InstanceEvidence.fenceAcknowledged(target)) {
      return new Refuse("switchover target " + name + " is fenced");
    }
    if (target.lastStatus().role() != InstanceRole.REPLICA) {
      return new Refuse(
          "switchover target " + name + " is not a replica (" + target.lastStatus().role() + ")");
    }
    if (!ReplicationRepair.follows(target.lastStatus(), primary.podIP())
        || !Boolean.TRUE.equals(target.lastStatus().masterLinkUp())) {
      return new Refuse(
          "switchover target " + name + " is not linked to primary " + primary.podName());
    }
    if (!Objects.equals(target.lastStatus().masterReplId(), primary.lastStatus().masterReplId())) {
      return new Refuse("switchover target " + name + " is on another replication history");
    }
    long lag = Math.max(0, primary.replicationOffsetOrZero() - target.replicationOffsetOrZero());
    if (lag > MAX_TARGET_LAG_BYTES) {
      String behind =
          "switchover target "
              + name
              + " is "
              + lag
              + " bytes behind (limit "
              + MAX_TARGET_LAG_BYTES
              + ")";
      return offsetTooOld(observation, primary, target)
          ? new PollTargetFirst(
              name, behind + " as of an answer older than the primary's: polling it again")
          : new Refuse(behind);
    }
    return new Proceed(
        new SwitchoverPlan(
            primary.podName(), primary.podIP(), name, target.podIP(), lag, HANDOFF_TIMEOUT_MILLIS));
  }
}
