package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the next failover steps from status and observation alone: fence, then promote (behind
 * the {@link PromotionGate}), then record, then repoint the others, then unfence the old primary
 * once it replicates from the new one. The durable record is {@code status.currentPrimary}, {@code
 * status.targetPrimary} and {@code status.fencedInstances}: a failover is in progress while the
 * recorded primary is itself fenced, and a target that reports role primary is recorded before
 * anything else. Nothing is remembered between calls.
 *
 * <p>The result is a list of independent steps to execute before the next observation; an empty
 * list means nothing to do. Fence and Promote are always alone: nothing else may happen before they
 * are confirmed.
 */
public final class FailoverPlanner {
  private FailoverPlanner() {}

  public static List<FailoverDecision> next(ClusterObservation observation) {
    Optional<String> recorded = observation.currentPrimary();
    if (recorded.isEmpty()) {
      return List.of();
    }
    String primary = recorded.get();
    Optional<String> promotedTarget = promotedTarget(observation, primary);
    if (promotedTarget.isPresent()) {
      return List.of(new FailoverDecision.RecordPrimary(promotedTarget.get(), primary));
    }
    if (fenced(observation).contains(primary)) {
      return continueFailover(observation, primary);
    }
    PrimaryHealth health = PrimaryHealthAssessor.assess(observation);
    return switch (health.verdict()) {
      case FAILED -> startFailover(observation, primary, health);
      case SUSPECT -> watch(observation, primary, health);
      case HEALTHY -> ReplicationRepair.steps(observation, primary);
    };
  }

  /**
   * Nothing to fail over from yet; replication repairs still happen (they need a serving primary).
   */
  private static List<FailoverDecision> watch(
      ClusterObservation observation, String primary, PrimaryHealth health) {
    List<FailoverDecision> steps = new ArrayList<>();
    steps.add(new FailoverDecision.Watch(primary, health.reason(), health.recheck()));
    steps.addAll(ReplicationRepair.steps(observation, primary));
    return steps;
  }

  /**
   * status.targetPrimary names another pod that now answers as primary: the promotion happened,
   * record it.
   */
  private static Optional<String> promotedTarget(ClusterObservation observation, String primary) {
    return PromotionGate.targetPrimary(observation)
        .filter(target -> !target.equals(primary))
        // A fenced pod answering as primary is a writer to stop, never one to record.
        .filter(target -> !fenced(observation).contains(target))
        .filter(
            target ->
                observation
                    .instance(target)
                    .filter(InstanceEvidence::agentAnswered)
                    .filter(
                        i ->
                            i.lastStatus().redisUp()
                                && i.lastStatus().role() == InstanceRole.PRIMARY)
                    .isPresent());
  }

  private static List<FailoverDecision> startFailover(
      ClusterObservation observation, String primary, PrimaryHealth health) {
    if (CandidateSelector.select(observation, primary).isEmpty()) {
      // Fencing without anyone to promote would only turn a degraded primary into no primary at
      // all.
      return List.of(
          new FailoverDecision.AwaitCandidate(health.reason() + "; no replica can be promoted"));
    }
    return List.of(new FailoverDecision.Fence(primary, health.reason()));
  }

  private static List<FailoverDecision> continueFailover(
      ClusterObservation observation, String primary) {
    Optional<Candidate> candidate = CandidateSelector.select(observation, primary);
    if (candidate.isEmpty()) {
      return abandonOrWait(observation, primary);
    }
    PrimaryHealth health = PrimaryHealthAssessor.assess(observation);
    PromotionGate.Decision decision =
        PromotionGate.check(observation, primary, health, candidate.get().podName());
    if (decision instanceof PromotionGate.FenceFirst fence) {
      return List.of(new FailoverDecision.Fence(fence.pod(), fence.reason()));
    }
    if (decision instanceof PromotionGate.WaitUntil wait) {
      return List.of(new FailoverDecision.AwaitPromotionSafety(wait.at(), wait.reason()));
    }
    Optional<FailoverDecision> catchUp = awaitCatchUp(observation, primary, candidate.get());
    if (catchUp.isPresent()) {
      return List.of(catchUp.get());
    }
    return List.of(
        new FailoverDecision.Promote(
            candidate.get(), primary, fenceFirst(observation, candidate.get())));
  }

  /**
   * How long a candidate may take to pull the writes a fenced old primary still has, counted from
   * the target write.
   */
  static final Duration CATCH_UP_TIMEOUT = Duration.ofMillis(3000);

  /**
   * The old primary answers fenced, on the candidate's history, with a higher offset: the candidate
   * (once recorded as the target, which dates the wait) waits until it has those writes too, for
   * {@link #CATCH_UP_TIMEOUT} at most. Its replication link comes back on its own once the old
   * primary is reachable again.
   */
  private static Optional<FailoverDecision> awaitCatchUp(
      ClusterObservation observation, String primary, Candidate candidate) {
    InstanceObservation old = observation.instance(primary).orElse(null);
    if (!InstanceEvidence.fenceAcknowledged(old)
        || !old.lastStatus().redisUp()
        || old.lastStatus().role() != InstanceRole.PRIMARY
        || old.lastStatus().replicationOffset() == null
        || !Objects.equals(old.lastStatus().masterReplId(), candidate.expectedReplId())) {
      return Optional.empty();
    }
    long offset = old.lastStatus().replicationOffset();
    if (candidate.minOffset() >= offset) {
      return Optional.empty();
    }
    Instant until =
        targetSince(observation, candidate.podName())
            .map(t -> t.plus(CATCH_UP_TIMEOUT))
            .orElse(null);
    if (until != null && !observation.now().isBefore(until)) {
      return Optional.empty(); // waited long enough: promote with what it has
    }
    return Optional.of(
        new FailoverDecision.AwaitCatchUp(
            candidate.podName(),
            offset,
            until,
            candidate.podName()
                + " is at offset "
                + candidate.minOffset()
                + ", fenced "
                + primary
                + " at "
                + offset));
  }

  /** When {@code pod} was written as the target, if it is the target. */
  private static Optional<Instant> targetSince(ClusterObservation observation, String pod) {
    if (!PromotionGate.targetPrimary(observation).map(pod::equals).orElse(false)) {
      return Optional.empty();
    }
    String written = observation.cluster().getStatus().getTargetPrimaryTimestamp();
    try {
      return Optional.of(written == null ? Instant.EPOCH : Instant.parse(written));
    } catch (DateTimeParseException e) {
      return Optional.of(
          Instant.EPOCH); // no usable date: the wait is over, it must never last forever
    }
  }

  /**
   * Fenced pods whose agents answer without reporting the fence applied: each must confirm the
   * fence before the promotion (a Redis that just died may be restarted by its agent; the confirmed
   * marker makes it start fenced).
   */
  private static List<String> fenceFirst(ClusterObservation observation, Candidate candidate) {
    return fenced(observation).stream()
        .filter(pod -> !pod.equals(candidate.podName()))
        .sorted()
        .filter(
            pod ->
                observation
                    .instance(pod)
                    .filter(InstanceEvidence::agentAnswered)
                    .filter(i -> i.podIP() != null && !i.lastStatus().fenced())
                    .isPresent())
        .toList();
  }

  /**
   * Nobody can be promoted. The failover is abandoned only when the fenced primary serves again and
   * every other instance that may be writable (a target whose promotion may have happened, anything
   * that reported role primary) is proven unwritable or past its self-fencing bound: the same gate
   * a promotion passes, with the old primary as the one to be made writable. The target is set back
   * to it in the same decision.
   */
  private static List<FailoverDecision> abandonOrWait(
      ClusterObservation observation, String primary) {
    InstanceObservation instance = observation.instance(primary).orElse(null);
    boolean back =
        instance != null
            && instance.podPhase() == PodPhase.RUNNING
            && instance.answering()
            && instance.lastStatus().role() == InstanceRole.PRIMARY;
    if (!back) {
      return List.of(
          new FailoverDecision.AwaitCandidate(
              "failing over from " + primary + ": no replica can be promoted"));
    }
    PrimaryHealth health = PrimaryHealthAssessor.assess(observation);
    PromotionGate.Decision decision = PromotionGate.check(observation, primary, health, primary);
    if (decision instanceof PromotionGate.FenceFirst fence) {
      return List.of(new FailoverDecision.Fence(fence.pod(), fence.reason()));
    }
    if (decision instanceof PromotionGate.WaitUntil wait) {
      return List.of(new FailoverDecision.AwaitPromotionSafety(wait.at(), wait.reason()));
    }
    return List.of(
        new FailoverDecision.Abandon(
            primary,
            "failover abandoned: no replica to promote and " + primary + " answers again"));
  }

  static Set<String> fenced(ClusterObservation observation) {
    return observation.cluster().getStatus() == null
        ? Set.of()
        : Set.copyOf(observation.cluster().getStatus().getFencedInstances());
  }
}
