package io.redisoperator.agent.redis;

import io.redisoperator.agent.instance.StatusBoard;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Refreshes the status board from INFO in the background, one request at a time (a slow Redis never
 * piles up requests), so status answers come from memory. {@link #refresh()} reads INFO now for an
 * answer that must describe Redis as it is, not as of the last round.
 */
public final class InfoPoller implements AutoCloseable {
  private final RedisCommands redis;
  private final StatusBoard board;

  /** The INFO request in flight, done once its result is on the board; null: none. */
  private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();

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
    scheduler.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Reads INFO onto the board now, or joins the read in flight (sent at most one round trip
   * earlier, or Redis is slow and a second request would only queue behind it). Completes once the
   * result, or the failure, is on the board; never exceptionally.
   */
  public CompletionStage<Void> refresh() {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = inFlight.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    long issuedAt = board.nowMillis();
    try {
      redis
          .info()
          .whenComplete(
              (info, error) -> {
                if (error != null) {
                  board.recordInfoFailure(error);
                } else {
                  board.recordInfo(info, issuedAt);
                }
                inFlight.set(null);
                mine.complete(null);
              });
    } catch (RuntimeException e) {
      board.recordInfoFailure(e);
      inFlight.set(null);
      mine.complete(null);
    }
    return mine;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
