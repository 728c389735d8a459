package io.redisoperator.controller.failover;

import java.time.Instant;
import java.util.List;

/**
 * What failover decides next: one action for the reconcile to carry out, for failover and for
 * keeping replication pointed at the recorded primary. Every decision is idempotent; each is
 * derived from status plus observation, so an operator restarted at any point recomputes the same
 * next decision.
 */
public sealed interface FailoverDecision {

  /**
   * The primary looks unwell but nothing proves it failed: report it (phase reason), do nothing
   * else but poll {@code recheck} now when set ({@link PrimaryHealth#recheck()}).
   */
  record Watch(String pod, String reason, String recheck) implements FailoverDecision {}

  /**
   * Fence {@code pod}: add it to {@code status.fencedInstances} (first, so a restarting agent boots
   * fenced), remove its {@code redis.io/role} label so {@code -leader} stops routing to it, then
   * try {@code POST /v1/fence} (best effort: an unreachable agent is covered by the promotion
   * gate).
   */
  record Fence(String pod, String reason) implements FailoverDecision {}

  /**
   * The failed primary cannot be replaced yet: nothing proves it stopped writing. Re-plan at {@code
   * notBefore}.
   */
  record AwaitPromotionSafety(Instant notBefore, String reason) implements FailoverDecision {}

  /**
   * No replica can be promoted (none answering, all fenced or on another history). Re-plan on the
   * next poll.
   */
  record AwaitCandidate(String reason) implements FailoverDecision {}

  /**
   * Write {@code status.targetPrimary = candidate} (so a restart knows a promotion may have
   * happened), then {@code POST /v1/fence} on every pod of {@code fenceFirst} and, only once each
   * has confirmed it (its fence marker is written, so even a Redis restarting there starts fenced),
   * {@code POST /v1/promote} with {@link Candidate#promoteRequest()} on the candidate. A 409 or an
   * error only means re-planning on the next observation; the candidate then counts as a possible
   * writer for the gate.
   *
   * @param fenceFirst fenced pods whose agents answer but do not report the fence applied
   */
  record Promote(Candidate candidate, String oldPrimary, List<String> fenceFirst)
      implements FailoverDecision {
    public Promote {
      fenceFirst = List.copyOf(fenceFirst);
    }

    public Promote(Candidate candidate, String oldPrimary) {
      this(candidate, oldPrimary, List.of());
    }
  }

  /**
   * The fenced old primary answers with more data than any candidate has: wait (until {@code until}
   * at the latest) for {@code candidate} to reach {@code offset} before promoting it, rather than
   * throw those writes away.
   */
  record AwaitCatchUp(String candidate, long offset, Instant until, String reason)
      implements FailoverDecision {}

  /**
   * Nobody could be promoted and the fenced recorded primary {@code pod} serves again, with no
   * other possible writer left: unfence it and set {@code status.targetPrimary} back to it, in one
   * decision.
   */
  record Abandon(String pod, String reason) implements FailoverDecision {}

  /**
   * The target reports role primary: write {@code status.currentPrimary = targetPrimary = pod} with
   * the resourceVersion as precondition, then label it {@code redis.io/role=primary}.
   */
  record RecordPrimary(String pod, String formerPrimary) implements FailoverDecision {}

  /** {@code POST /v1/replicate {host, port}} on {@code pod}: it follows another or no primary. */
  record Repoint(String pod, String primaryPod, String host, int port)
      implements FailoverDecision {}

  /**
   * {@code pod} follows the recorded primary through a former primary that follows it (a
   * switchover's chain): point it at the primary directly at {@code notBefore}, once clients have
   * moved ({@code ReplicationRepair.CHAIN_SETTLE}).
   */
  record AwaitRepoint(String pod, Instant notBefore) implements FailoverDecision {}

  /**
   * Remove {@code pod} from {@code status.fencedInstances}, then {@code DELETE /v1/fence} on it.
   * Only once it replicates from the recorded primary (or a failover was abandoned with nobody to
   * promote).
   */
  record Unfence(String pod, String reason) implements FailoverDecision {}
}
