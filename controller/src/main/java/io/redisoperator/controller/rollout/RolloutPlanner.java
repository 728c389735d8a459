package io.redisoperator.controller.rollout;

import io.redisoperator.controller.failover.CandidateSelector;
import io.redisoperator.controller.failover.SwitchoverPlanner;
import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.PrimaryUpdateStrategy;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Rolling update order: outdated replicas first, highest ordinal first, one at a time, each only
 * once every other replica is Ready, linked to the primary and caught up; then the primary, by
 * switchover to the most caught-up replica (after approval when supervised); then the former
 * primary, recreated as a replica.
 */
public final class RolloutPlanner {
  private RolloutPlanner() {}

  /**
   * A replica further behind than this is not caught up: restarting another would cost redundancy.
   */
  public static final long MAX_SETTLED_LAG_BYTES = 1024 * 1024;

  public static RolloutDecision next(ClusterObservation observation) {
    List<InstanceObservation> outdated =
        observation.byOrdinal().stream()
            .filter(i -> i.podPhase() != PodPhase.MISSING && !i.specHashCurrent())
            .toList();
    if (outdated.isEmpty()) {
      return new RolloutDecision.Done();
    }
    Optional<String> recorded = observation.currentPrimary();
    if (recorded.isEmpty()) {
      return new RolloutDecision.WaitFor(null, "no primary recorded yet");
    }
    String primary = recorded.get();
    Optional<RolloutDecision> blocked = blocker(observation, primary);
    if (blocked.isPresent()) {
      return blocked.get();
    }
    Optional<InstanceObservation> replica =
        outdated.stream()
            .filter(i -> !i.podName().equals(primary))
            .max(Comparator.comparingInt(InstanceObservation::ordinal));
    if (replica.isPresent()) {
      boolean lastOne = outdated.size() == 1;
      return lastOne
          ? new RolloutDecision.RecreateFormerPrimary(replica.get().podName())
          : new RolloutDecision.RecreateReplica(replica.get().podName());
    }
    return primaryStep(observation, primary);
  }

  /** Anything that must settle before another pod may go down. */
  private static Optional<RolloutDecision> blocker(ClusterObservation observation, String primary) {
    RedisClusterStatus status = observation.cluster().getStatus();
    String target = status.getTargetPrimary();
    if (status.getFencedInstances().contains(primary)
        || target != null && !target.equals(primary)) {
      return Optional.of(
          new RolloutDecision.WaitFor(primary, "a failover or switchover is in progress"));
    }
    InstanceObservation primaryInstance = observation.instance(primary).orElse(null);
    if (!serving(primaryInstance)) {
      return Optional.of(
          new RolloutDecision.WaitFor(primary, "primary " + primary + " is not serving"));
    }
    Optional<String> absent = absentPod(observation);
    if (absent.isPresent()) {
      return Optional.of(
          new RolloutDecision.WaitFor(absent.get(), absent.get() + " does not exist yet"));
    }
    for (InstanceObservation instance : observation.byOrdinal()) {
      if (instance.podName().equals(primary)) {
        continue;
      }
      Optional<String> unsettled = unsettled(instance, primaryInstance);
      if (unsettled.isPresent() && (instance.specHashCurrent() || isStarting(instance))) {
        return Optional.of(
            behindOnlyAsOfAnOldAnswer(observation, instance, primaryInstance)
                ? new RolloutDecision.PollCandidate(
                    instance.podName(),
                    unsettled.get() + " as of an answer older than the primary's: polling it again")
                : new RolloutDecision.WaitFor(instance.podName(), unsettled.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * A linked replica too far behind only as of a long-polled answer older than the primary's (see
   * {@link SwitchoverPlanner#offsetTooOld}): its lag grows with the primary's writes until its hold
   * ends, so it is polled now rather than waited on.
   */
  private static boolean behindOnlyAsOfAnOldAnswer(
      ClusterObservation observation, InstanceObservation replica, InstanceObservation primary) {
    return replica.answering()
        && primary.replicationOffsetOrZero() - replica.replicationOffsetOrZero()
            > MAX_SETTLED_LAG_BYTES
        && SwitchoverPlanner.offsetTooOld(observation, primary, replica);
  }

  /**
   * A pod of the spec's ordinals that the observation does not have at all (deleted, not yet
   * recreated).
   */
  private static Optional<String> absentPod(ClusterObservation observation) {
    Integer instances = observation.cluster().getSpec().getInstances();
    for (int ordinal = 0; instances != null && ordinal < instances; ordinal++) {
      String pod = ResourceNames.podName(observation.name(), ordinal);
      if (observation.instance(pod).isEmpty()) {
        return Optional.of(pod);
      }
    }
    return Optional.empty();
  }

  private static boolean isStarting(InstanceObservation instance) {
    return instance.podPhase() == PodPhase.MISSING || instance.podPhase() == PodPhase.PENDING;
  }

  /** Why a replica is not yet Ready, linked and caught up; empty when it is. */
  static Optional<String> unsettled(InstanceObservation replica, InstanceObservation primary) {
    String pod = replica.podName();
    if (replica.podPhase() != PodPhase.RUNNING) {
      return Optional.of(pod + " is " + replica.podPhase().name().toLowerCase());
    }
    if (!replica.podReady()) {
      return Optional.of(pod + " is not Ready");
    }
    if (!replica.answering()) {
      return Optional.of(pod + " does not answer with Redis up");
    }
    if (replica.lastStatus().role() != InstanceRole.REPLICA
        || !Objects.equals(replica.lastStatus().masterHost(), primary.podIP())
        || !Boolean.TRUE.equals(replica.lastStatus().masterLinkUp())) {
      return Optional.of(pod + " is not linked to the primary");
    }
    long lag = primary.replicationOffsetOrZero() - replica.replicationOffsetOrZero();
    if (lag > MAX_SETTLED_LAG_BYTES) {
      return Optional.of(pod + " is " + lag + " bytes behind the primary");
    }
    return Optional.empty();
  }

  private static boolean serving(InstanceObservation primary) {
    return primary != null
        && primary.podPhase() == PodPhase.RUNNING
        && primary.answering()
        && primary.lastStatus().role() == InstanceRole.PRIMARY
        && primary.podIP() != null;
  }

  private static RolloutDecision primaryStep(ClusterObservation observation, String primary) {
    boolean hasReplicas =
        observation.byOrdinal().stream().anyMatch(i -> !i.podName().equals(primary));
    if (!hasReplicas) {
      return approved(observation)
          ? new RolloutDecision.RecreateSoleInstance(primary)
          : new RolloutDecision.AwaitApproval(
              primary, "approve recreating the only instance " + primary);
    }
    SwitchoverPlanner.Decision best = null;
    for (var candidate : CandidateSelector.ranked(observation, primary)) {
      best = SwitchoverPlanner.plan(observation, candidate.podName());
      if (best instanceof SwitchoverPlanner.Proceed proceed) {
        return approved(observation)
            ? new RolloutDecision.SwitchoverPrimary(proceed.plan())
            : new RolloutDecision.AwaitApproval(
                primary, "approve the switchover of " + primary + " to " + proceed.plan().target());
      }
      if (best instanceof SwitchoverPlanner.PollTargetFirst poll) {
        // The candidates are ranked: the best one's fresh answer decides, not the next one's.
        return new RolloutDecision.PollCandidate(
            poll.target(), "no replica can take over from " + primary + " yet: " + poll.reason());
      }
    }
    String why =
        best instanceof SwitchoverPlanner.Refuse refuse ? refuse.reason() : "no replica answers";
    return new RolloutDecision.WaitFor(
        primary, "no replica can take over from " + primary + ": " + why);
  }

  /** Unsupervised, or supervised with the approval annotation set. */
  static boolean approved(ClusterObservation observation) {
    if (observation.cluster().getSpec().getPrimaryUpdateStrategy()
        != PrimaryUpdateStrategy.SUPERVISED) {
      return true;
    }
    Map<String, String> annotations = observation.cluster().getMetadata().getAnnotations();
    String approval =
        annotations == null ? null : annotations.get(Annotations.APPROVE_PRIMARY_UPDATE);
    return approval != null && !approval.isBlank() && !approval.equalsIgnoreCase("false");
  }
}
