package io.redisoperator.controller.agent;

import java.time.Duration;

/**
 * How late the agent client's event loops run: each loop runs a tick every {@link #TICK}, and a
 * tick that runs later than that says the loop (or the controller's core) was busy, so an answer
 * that has arrived may not have been read yet. Keeps the largest lateness of the current and the
 * previous {@link #WINDOW}. Thread-safe: the loops record, pod actors read.
 */
final class LoopLateness {
  /** Between two ticks of a loop. */
  static final Duration TICK = Duration.ofMillis(50);

  /** A lateness is remembered this long at least (at most twice as long). */
  static final Duration WINDOW = Duration.ofMillis(500);

  private long windowStart;
  private long currentMax;
  private long previousMax;

  /**
   * @param nowNanos a monotonic clock's reading ({@code System.nanoTime()}) when the gauge starts
   */
  LoopLateness(long nowNanos) {
    this.windowStart = nowNanos;
  }

  /** A tick ran {@code lateNanos} after it was due, at {@code nowNanos}. */
  synchronized void ticked(long lateNanos, long nowNanos) {
    roll(nowNanos);
    currentMax = Math.max(currentMax, Math.max(0, lateNanos));
  }

  /** The largest lateness of a tick in the last window or two. */
  synchronized Duration current(long nowNanos) {
    roll(nowNanos);
    return Duration.ofNanos(Math.max(currentMax, previousMax));
  }

  private void roll(long nowNanos) {
    long window = WINDOW.toNanos();
    if (nowNanos - windowStart < window) {
      return;
    }
    // A window with no tick at all (a loop stalled for it) keeps what the last tick said.
    previousMax = nowNanos - windowStart < 2 * window ? currentMax : 0;
    currentMax = 0;
    windowStart = nowNanos;
  }
}
