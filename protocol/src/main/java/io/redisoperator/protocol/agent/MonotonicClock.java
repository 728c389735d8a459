package io.redisoperator.protocol.agent;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * A clock that never steps: the wall-clock instant read once at creation, advanced by the monotonic
 * {@link System#nanoTime()} since. Every duration the split-brain argument depends on (the
 * controller's promotion gate, the agent's self-fencing) is measured with it, so an NTP step or a
 * manual date change neither opens the gate early nor delays a self-fence. Its instants drift from
 * wall time by whatever steps happened since start; they are compared only with instants of the
 * same process.
 */
public final class MonotonicClock extends Clock {
  private final Instant anchor;
  private final long anchorNanos;
  private final LongSupplier nanoTime;

  /**
   * Anchored at {@code wall}'s current instant; {@code nanoTime} is the monotonic source (injected
   * in tests).
   */
  public MonotonicClock(Clock wall, LongSupplier nanoTime) {
    this.anchor = wall.instant();
    this.anchorNanos = nanoTime.getAsLong();
    this.nanoTime = nanoTime;
  }

  public static MonotonicClock system() {
    return new MonotonicClock(Clock.systemUTC(), System::nanoTime);
  }

  @Override
  public Instant instant() {
    return anchor.plusNanos(nanoTime.getAsLong() - anchorNanos);
  }

  /**
   * The monotonic nanoseconds this clock advances by ({@link System#nanoTime()} unless injected):
   * deadlines are measured on them.
   */
  public long nanos() {
    return nanoTime.getAsLong();
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a monotonic clock is UTC only");
  }
}
