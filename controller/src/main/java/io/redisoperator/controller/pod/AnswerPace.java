package io.redisoperator.controller.pod;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long the controller's status polls that agents answer at once take lately, from the send to
 * the pod actor reading the answer: whether they are slow, so that a poll past {@link
 * PollSchedule#OVERDUE} says more about the controller and its surroundings than about its agent.
 * Shared by every pod actor of a controller; thread-safe.
 *
 * <p>An overdue report records the primary in {@code status.unreachableInstances} and its answer
 * removes it again: two status writes. While one answer in {@link #SLOW_SHARE} takes longer than
 * {@code OVERDUE} (at least {@link #MIN_SLOW} of them in a window), the overdue time is no sign of
 * a failure: a start-up of 1000 clusters, whose core and API server were busy creating objects,
 * wrote and removed such records every 20-30 s for every Healthy cluster (docs/performance.md,
 * "Density"). A poll that is never answered (a partition, a dead agent) does not count here, so a
 * failed primary among answering ones is still reported overdue at once; with the answers slow, its
 * poll's own timeout records it (docs/failover.md, "Detection").
 */
public final class AnswerPace {
  /** Answers are counted per window; the current and the previous one are judged. */
  static final Duration WINDOW = Duration.ofSeconds(1);

  /** Fewer slow answers than this in a window say nothing (one slow agent, one slow moment). */
  static final int MIN_SLOW = 3;

  /** Answers are slow while at least one in this many is slower than the overdue time. */
  static final int SLOW_SHARE = 20;

  private final LongSupplier nanos;
  private long windowStart;
  private int answers;
  private int slowAnswers;
  private boolean previousSlow;

  /**
   * @param nanos a monotonic clock ({@code System::nanoTime})
   */
  public AnswerPace(LongSupplier nanos) {
    this.nanos = nanos;
    this.windowStart = nanos.getAsLong();
  }

  /** A poll the agent answers at once (not a held long-poll) was answered after {@code took}. */
  public synchronized void answered(Duration took) {
    roll();
    answers++;
    if (took.compareTo(PollSchedule.OVERDUE) > 0) {
      slowAnswers++;
    }
  }

  /** Whether the answers of this window or the previous one were slow. */
  public synchronized boolean slow() {
    roll();
    return previousSlow || slow(answers, slowAnswers);
  }

  private static boolean slow(int answers, int slowAnswers) {
    return slowAnswers >= MIN_SLOW && (long) slowAnswers * SLOW_SHARE >= answers;
  }

  private void roll() {
    long now = nanos.getAsLong();
    long window = WINDOW.toNanos();
    if (now - windowStart < window) {
      return;
    }
    // A whole window without answers in between: nothing is known about the last one.
    previousSlow = now - windowStart < 2 * window && slow(answers, slowAnswers);
    answers = 0;
    slowAnswers = 0;
    windowStart = now;
  }
}
