package io.redisoperator.controller.leader;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Notices that the process was paused (SIGSTOP, a long GC, a frozen VM) for longer than {@code
 * maxPause}: its lease may have passed to another controller meanwhile, and the lease elector would
 * only find out at its next renewal. It ticks on its own thread, measuring with the monotonic
 * clock.
 */
public final class PauseWatchdog implements AutoCloseable {
  static final Duration TICK = Duration.ofMillis(100);

  private final LongSupplier nanoTime;
  private final long maxPauseNanos;
  private final Consumer<Duration> onPause;
  private long lastTickNanos;
  private ScheduledExecutorService ticker;

  public PauseWatchdog(LongSupplier nanoTime, Duration maxPause, Consumer<Duration> onPause) {
    this.nanoTime = nanoTime;
    this.maxPauseNanos = maxPause.toNanos();
    this.onPause = onPause;
    this.lastTickNanos = nanoTime.getAsLong();
  }

  /**
   * The longest pause after which the lease is certainly still ours: it outlives our last renewal
   * by {@code leaseDuration}, and that renewal was at most one {@code retryPeriod} before the
   * pause; less a margin.
   */
  public static Duration maxPause(Duration leaseDuration, Duration retryPeriod) {
    Duration max = leaseDuration.minus(retryPeriod).minusSeconds(1);
    return max.isNegative() ? Duration.ZERO : max;
  }

  public PauseWatchdog start() {
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pause-watchdog");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One check: the time since the previous tick, beyond {@code maxPause}, is reported. */
  synchronized void tick() {
    long now = nanoTime.getAsLong();
    long gap = now - lastTickNanos;
    lastTickNanos = now;
    if (gap > maxPauseNanos) {
      onPause.accept(Duration.ofNanos(gap));
    }
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
