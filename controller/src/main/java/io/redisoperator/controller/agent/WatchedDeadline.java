package io.redisoperator.controller.agent;

import java.time.Duration;

/**
 * Pure: a call's deadline counted in time the controller was able to watch it. The timer that ends
 * a call runs on the client's event loops; when it runs late, those loops (or the controller's one
 * core) were busy, and the agent's answer may be waiting there unread: a saturated controller took
 * its own lateness for the agent's and counted answering primaries as failed (at 1000 clusters on
 * one core, docs/performance.md, "Density"). So a timer that ran more than {@link #LATE} late waits
 * once more for as long as it was late, up to one more timeout in all. On a controller that keeps
 * up, timers run on time and nothing changes; a later failure only makes a failover later, never
 * unsafe (docs/failover.md, "Detection").
 */
final class WatchedDeadline {
  /** A timer later than this says the controller was busy, not that the agent was slow. */
  static final Duration LATE = Duration.ofMillis(50);

  private WatchedDeadline() {}

  /**
   * How much longer the call waits now that its timer ran.
   *
   * @param firedLate how late the timer ran after it was due
   * @param extendedSoFar how much the deadline was extended already
   * @param timeout the call's timeout, the most it is ever extended by
   * @return zero when the call ends now
   */
  static Duration extension(Duration firedLate, Duration extendedSoFar, Duration timeout) {
    if (firedLate.compareTo(LATE) <= 0) {
      return Duration.ZERO;
    }
    Duration left = timeout.minus(extendedSoFar);
    if (left.isNegative() || left.isZero()) {
      return Duration.ZERO;
    }
    return firedLate.compareTo(left) < 0 ? firedLate : left;
  }
}
