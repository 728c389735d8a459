package io.redisoperator.agent.redis;

import io.redisoperator.agent.instance.StatusBoard;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Refreshes the status board from INFO in the background, one request at a time (a slow Redis never
 * piles up requests), so status answers come from memory.
 */
public final class InfoPoller implements AutoCloseable {
  private final RedisCommands redis;
  private final StatusBoard board;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "info-poller");
            t.setDaemon(true);
            return t;
          });

  public InfoPoller(RedisCommands redis, StatusBoard board, Duration interval) {
    this.redis = redis;
    this.board = board;
    scheduler.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    if (!inFlight.compareAndSet(false, true)) {
      return;
    }
    long issuedAt = board.nowMillis();
    redis
        .info()
        .whenComplete(
            (info, error) -> {
              if (error != null) {
                board.recordInfoFailure(error);
              } else {
                board.recordInfo(info, issuedAt);
              }
              inFlight.set(false);
            });
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
