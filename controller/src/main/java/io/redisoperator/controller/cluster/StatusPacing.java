package io.redisoperator.controller.cluster;

import io.redisoperator.controller.reconcile.StatusBuilder;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * When a pass's status goes out. A cluster being created (phase Creating recorded and still
 * desired) changes its status at every step of every pod: created, given an address, ready,
 * answering, its conditions. Those steps are written at most once per {@link #START_UP_SPACING},
 * folded into one write with whatever else changed meanwhile (the next pass builds the whole status
 * again); the phase settling (Healthy, or anything else) is written at once. Outside Creating every
 * material change goes at once, so a Healthy cluster's unreachable record, which the promotion gate
 * counts from, is never delayed; nor is a decision. A Creating cluster's unreachable record waits
 * with the rest: the gate counts from the record as written, so a later record can only make such a
 * failover later, never unsafe. Only one write is in flight per cluster anyway: the actor runs one
 * pass at a time. Pure: the actor tells it the time of each confirmed write.
 */
final class StatusPacing {
  /**
   * At N=100 on one core a cluster takes about 30 s from its first object to Healthy; its ten or so
   * intermediate writes become about one per spacing. A user watching a Creating cluster sees its
   * progress at most this late, its phase change never late.
   */
  static final Duration START_UP_SPACING = Duration.ofSeconds(5);

  /** What to do with a pass's desired status. */
  enum When {
    /** Nothing material changed. */
    NONE,
    /** Write it now. */
    NOW,
    /** Not before {@link Verdict#at()}: a pass then builds it again with what changed since. */
    LATER
  }

  /**
   * @param at when a {@link When#LATER} write is due; null otherwise
   */
  record Verdict(When when, Instant at) {
    static final Verdict NONE = new Verdict(When.NONE, null);
    static final Verdict NOW = new Verdict(When.NOW, null);
  }

  private Instant lastWrite;

  /**
   * Whether {@code desired} is written over {@code recorded} now, later or not at all ({@code
   * decision}: the pass records a durable decision, always written at once).
   */
  Verdict decide(
      RedisClusterStatus recorded, RedisClusterStatus desired, boolean decision, Instant now) {
    if (decision) {
      return Verdict.NOW;
    }
    if (!StatusBuilder.materiallyDifferent(recorded, desired)) {
      return Verdict.NONE;
    }
    if (!StatusBuilder.beingCreated(recorded)
        || desired.getPhase() != Phase.CREATING
        || lastWrite == null) {
      return Verdict.NOW;
    }
    Instant due = lastWrite.plus(START_UP_SPACING);
    return now.isBefore(due) ? new Verdict(When.LATER, due) : Verdict.NOW;
  }

  /** A status write of this actor was confirmed at {@code at}. */
  void written(Instant at) {
    lastWrite = at;
  }
}
