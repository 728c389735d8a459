package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.crd.InstanceRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the next failover steps from status and observation alone: fence, then promote (behind the
 * {@link PromotionGate}), then record, then repoint the others, then unfence the old primary once it replicates from
 * the new one. The durable record is {@code status.currentPrimary}, {@code status.targetPrimary} and
 * {@code status.fencedInstances}: a failover is in progress while the recorded primary is itself fenced, and a target
 * that reports role primary is recorded before anything else. Nothing is remembered between calls.
 *
 * <p>The result is a list of independent steps to execute before the next observation; an empty list means nothing
 * to do. Fence and Promote are always alone: nothing else may happen before they are confirmed.
 */
public final class FailoverPlanner {
  private FailoverPlanner() {}

  public static List<FailoverStep> next(ClusterObservation observation) {
    Optional<String> recorded = observation.currentPrimary();
    if (recorded.isEmpty()) {
      return List.of();
    }
    String primary = recorded.get();
    Optional<String> promotedTarget = promotedTarget(observation, primary);
    if (promotedTarget.isPresent()) {
      return List.of(new FailoverStep.RecordPrimary(promotedTarget.get(), primary));
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

  /** Nothing to fail over from yet; replication repairs still happen (they need a serving primary). */
  private static List<FailoverStep> watch(ClusterObservation observation, String primary, PrimaryHealth health) {
    List<FailoverStep> steps = new ArrayList<>();
    steps.add(new FailoverStep.Watch(primary, health.reason()));
    steps.addAll(ReplicationRepair.steps(observation, primary));
    return steps;
  }

  /** status.targetPrimary names another pod that now answers as primary: the promotion happened, record it. */
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
                    .filter(i -> i.lastStatus().redisUp() && i.lastStatus().role() == InstanceRole.PRIMARY)
                    .isPresent());
  }

  private static List<FailoverStep> startFailover(
      ClusterObservation observation, String primary, PrimaryHealth health) {
    if (CandidateSelector.select(observation, primary).isEmpty()) {
      // Fencing without anyone to promote would only turn a degraded primary into no primary at all.
      return List.of(new FailoverStep.AwaitCandidate(health.reason() + "; no replica can be promoted"));
    }
    return List.of(new FailoverStep.Fence(primary, health.reason()));
  }

  private static List<FailoverStep> continueFailover(ClusterObservation observation, String primary) {
    Optional<Candidate> candidate = CandidateSelector.select(observation, primary);
    if (candidate.isEmpty()) {
      return abandonOrWait(observation, primary);
    }
    PrimaryHealth health = PrimaryHealthAssessor.assess(observation);
    PromotionGate.Decision decision = PromotionGate.check(observation, primary, health, candidate.get().podName());
    if (decision instanceof PromotionGate.FenceFirst fence) {
      return List.of(new FailoverStep.Fence(fence.pod(), fence.reason()));
    }
    if (decision instanceof PromotionGate.WaitUntil wait) {
      return List.of(new FailoverStep.AwaitPromotionSafety(wait.at(), wait.reason()));
    }
    return List.of(new FailoverStep.Promote(candidate.get(), primary));
  }

  /**
   * Nobody can be promoted. If the fenced primary answers again with Redis up and there is no other instance it could
   * conflict with, the failover is abandoned: it is unfenced and stays primary.
   */
  private static List<FailoverStep> abandonOrWait(ClusterObservation observation, String primary) {
    InstanceObservation instance = observation.instance(primary).orElse(null);
    boolean back =
        instance != null
            && instance.podPhase() == PodPhase.RUNNING
            && instance.answering()
            && instance.lastStatus().role() == InstanceRole.PRIMARY;
    boolean anotherPrimary =
        observation.byOrdinal().stream()
            .filter(i -> !i.podName().equals(primary))
            .anyMatch(i -> i.lastStatus() != null && i.lastStatus().role() == InstanceRole.PRIMARY);
    if (back && !anotherPrimary) {
      return List.of(
          new FailoverStep.Unfence(primary, "failover abandoned: no replica to promote and " + primary + " answers again"));
    }
    return List.of(new FailoverStep.AwaitCandidate("failing over from " + primary + ": no replica can be promoted"));
  }

  static Set<String> fenced(ClusterObservation observation) {
    return observation.cluster().getStatus() == null
        ? Set.of()
        : Set.copyOf(observation.cluster().getStatus().getFencedInstances());
  }
}
