package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.protocol.agent.SelfFencing;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The split-brain guard: may a candidate be promoted now? Every instance that might still accept
 * writes (the old primary, a target chosen earlier whose promotion may have happened, anything that
 * last reported role primary) must be either proven unable to write (its Redis process dead or its
 * address refusing connections, fence acknowledged, role replica), or silent for longer than the
 * agent's self-fencing bound ({@link #promotionSafeAfter()}) counted from the latest moment it may
 * still have had contact, and, when it is fenced in status, for {@link #fenceSeenAfter()} since
 * that fence was written. An instance whose agent answers is waited for until it acknowledges the
 * fence (a busy Redis, a terminating pod); one that answers as an unfenced primary blocks the
 * promotion until it has been fenced. docs/failover.md has the timing argument.
 */
public final class PromotionGate {
  private PromotionGate() {}

  /** The answer of the gate. */
  public sealed interface Decision permits Allow, WaitUntil, FenceFirst {}

  /** Promote now. */
  public record Allow(String reason) implements Decision {}

  /**
   * Not yet: nothing proves {@code pod} stopped accepting writes, and its self-fencing bound ends
   * at {@code at}.
   */
  public record WaitUntil(Instant at, String pod, String reason) implements Decision {}

  /**
   * {@code pod} answers as a writable primary: fence it (status, label, agent) before anyone is
   * promoted.
   */
  public record FenceFirst(String pod, String reason) implements Decision {}

  /** The self-fencing bound ({@link SelfFencing#promotionSafeAfterMillis()}). */
  public static Duration promotionSafeAfter() {
    return Duration.ofMillis(SelfFencing.promotionSafeAfterMillis());
  }

  /**
   * How long after a fence is written to status a primary that still reaches the API server has
   * certainly stopped accepting writes: its agent dates an API read by when the read started, so a
   * read that missed the fence started before the write, and without a later successful read it
   * fences itself after {@link SelfFencing#ISOLATION_MILLIS} and one check; a later successful read
   * shows the fence. Plus the safety margin.
   */
  public static Duration fenceSeenAfter() {
    return Duration.ofMillis(
        SelfFencing.ISOLATION_MILLIS
            + SelfFencing.CHECK_INTERVAL_MILLIS
            + SelfFencing.SAFETY_MARGIN_MILLIS);
  }

  /**
   * @param oldPrimary the primary being replaced
   * @param health the assessment of {@code oldPrimary}
   * @param candidate the pod about to be promoted
   */
  public static Decision check(
      ClusterObservation observation, String oldPrimary, PrimaryHealth health, String candidate) {
    Duration pollInterval =
        Duration.ofMillis(
            PrimaryHealthAssessor.failoverSpec(observation).pollIntervalMillisOrDefault());
    Instant now = observation.now();
    WaitUntil latest = null;
    for (String pod : possiblyWritable(observation, oldPrimary, candidate)) {
      InstanceObservation instance = observation.instance(pod).orElse(null);
      if (InstanceEvidence.writablePrimary(instance)) {
        return new FenceFirst(pod, pod + " answers as an unfenced primary");
      }
      if (pod.equals(oldPrimary) && health.deathProven()
          || InstanceEvidence.provenUnwritable(instance)) {
        continue;
      }
      Instant safeAt =
          InstanceEvidence.latestPossibleContact(
                  instance, pollInterval, now, observation.observingSince())
              .plus(promotionSafeAfter());
      if (fenced(observation, pod) || recordedUnreachable(observation, pod)) {
        // It may still reach the API server: reads count as contact until one shows it fenced or
        // unreachable, so by
        // this bound after the first such record it has read it or gone without a counted read for
        // the isolation time.
        Instant fenceReadBy = observation.warnedSince(pod).plus(fenceSeenAfter());
        safeAt = fenceReadBy.isAfter(safeAt) ? fenceReadBy : safeAt;
      }
      if (safeAt.isAfter(now) && (latest == null || safeAt.isAfter(latest.at()))) {
        latest =
            new WaitUntil(
                safeAt,
                pod,
                "no proof that "
                    + pod
                    + " stopped accepting writes; it fences itself by "
                    + safeAt);
      }
    }
    if (latest != null) {
      return latest;
    }
    return new Allow(
        "every other possible writer is proven unwritable or past its self-fencing bound");
  }

  /**
   * The old primary, a previously chosen target, and every instance whose last status said primary:
   * each could be accepting writes. Operator-fenced ones are included: an unreachable instance only
   * acknowledges a fence by answering.
   */
  static Set<String> possiblyWritable(
      ClusterObservation observation, String oldPrimary, String candidate) {
    Set<String> pods = new LinkedHashSet<>();
    pods.add(oldPrimary);
    targetPrimary(observation).ifPresent(pods::add);
    for (InstanceObservation instance : observation.byOrdinal()) {
      if (instance.lastStatus() != null && instance.lastStatus().role() == InstanceRole.PRIMARY) {
        pods.add(instance.podName());
      }
    }
    pods.remove(candidate);
    return pods;
  }

  private static boolean recordedUnreachable(ClusterObservation observation, String pod) {
    return observation.cluster().getStatus() != null
        && observation.cluster().getStatus().getUnreachableInstances() != null
        && observation.cluster().getStatus().getUnreachableInstances().contains(pod);
  }

  private static boolean fenced(ClusterObservation observation, String pod) {
    return observation.cluster().getStatus() != null
        && observation.cluster().getStatus().getFencedInstances() != null
        && observation.cluster().getStatus().getFencedInstances().contains(pod);
  }

  static Optional<String> targetPrimary(ClusterObservation observation) {
    return observation.cluster().getStatus() == null
        ? Optional.empty()
        : Optional.ofNullable(observation.cluster().getStatus().getTargetPrimary());
  }
}
