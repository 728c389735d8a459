package io.redisoperator.controller.sentinel;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.observation.PodReadiness;
import io.redisoperator.protocol.crd.Condition;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether the sentinels agree with the operator, judged from their pods' readiness: a sentinel pod
 * is ready only while its redis-sentinel answers and reports the primary recorded in the status
 * (the agent's /readyz). A majority of ready sentinels is the quorum the agents configure (2 of 3).
 * Losing it is reported (the {@code SentinelQuorum} condition, an event on each transition, {@code
 * redis_operator_sentinel_quorum_ok}) and nothing else: the operator never resets or restarts
 * sentinels because they disagree, it keeps them pointed at the record and waits. Pure.
 *
 * @param following sentinel pods ready (answering and reporting the recorded primary)
 * @param notFollowing the others, by name, with why (missing, terminating, not ready)
 */
public record SentinelQuorum(int following, List<String> notFollowing) {
  /** A majority of the sentinels; the quorum the agents give Sentinel's MONITOR. */
  public static final int QUORUM = SentinelPodBuilder.SENTINELS / 2 + 1;

  public SentinelQuorum {
    notFollowing = List.copyOf(notFollowing);
  }

  /** The quorum of {@code cluster}'s sentinel pods, looked up by name in {@code podByName}. */
  public static SentinelQuorum of(String cluster, Function<String, Optional<Pod>> podByName) {
    int following = 0;
    List<String> others = new ArrayList<>();
    for (int n = 0; n < SentinelPodBuilder.SENTINELS; n++) {
      String name = ResourceNames.sentinelPodName(cluster, n);
      Optional<Pod> pod = podByName.apply(name);
      if (pod.isEmpty()) {
        others.add(name + " (missing)");
      } else if (pod.get().getMetadata().getDeletionTimestamp() != null) {
        others.add(name + " (terminating)");
      } else if (PodReadiness.ready(pod.get())) {
        following++;
      } else {
        others.add(name + " (not ready)");
      }
    }
    return new SentinelQuorum(following, others);
  }

  public boolean ok() {
    return following >= QUORUM;
  }

  /**
   * The condition's reason, given the previous {@code SentinelQuorum} condition: before the quorum
   * was ever reached (no condition yet, or still starting) a missing quorum is "starting", not
   * "lost".
   */
  public ConditionReason reason(Optional<Condition> previous) {
    if (ok()) {
      return notFollowing.isEmpty()
          ? ConditionReason.SENTINELS_FOLLOW_PRIMARY
          : ConditionReason.SENTINELS_LAGGING;
    }
    boolean neverReached =
        previous.isEmpty() || previous.get().getReason() == ConditionReason.SENTINELS_STARTING;
    return neverReached ? ConditionReason.SENTINELS_STARTING : ConditionReason.SENTINEL_QUORUM_LOST;
  }

  public String message(String primary) {
    String head =
        following
            + "/"
            + SentinelPodBuilder.SENTINELS
            + " sentinels report the recorded primary "
            + primary;
    return notFollowing.isEmpty()
        ? head
        : head + "; not following: " + String.join(", ", notFollowing);
  }

  /**
   * The event for a change from {@code previous} to {@code reason}: a Warning when the quorum is
   * lost, a Normal event when it comes back after a loss; empty otherwise (no event per pass, and
   * none while the sentinels first start).
   */
  public static Optional<EventReason> transition(
      Optional<Condition> previous, ConditionReason reason) {
    boolean wasOk = previous.map(c -> c.getStatus() == ConditionStatus.TRUE).orElse(false);
    boolean wasLost =
        previous.map(c -> c.getReason() == ConditionReason.SENTINEL_QUORUM_LOST).orElse(false);
    if (wasOk && reason == ConditionReason.SENTINEL_QUORUM_LOST) {
      return Optional.of(EventReason.SENTINEL_QUORUM_LOST);
    }
    if (wasLost
        && (reason == ConditionReason.SENTINELS_FOLLOW_PRIMARY
            || reason == ConditionReason.SENTINELS_LAGGING)) {
      return Optional.of(EventReason.SENTINEL_QUORUM_RESTORED);
    }
    return Optional.empty();
  }
}
