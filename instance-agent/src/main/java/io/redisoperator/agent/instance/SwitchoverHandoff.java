package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.redis.RedisInfo;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One planned handoff from this primary to a replica, without losing an acknowledged write and
 * without two writable primaries at any moment:
 *
 * <ol>
 *   <li>{@code CLIENT PAUSE WRITE} here, with an expiry: writes wait, and if this agent dies they
 *       resume by themselves on a primary that is still the only one.
 *   <li>Poll this primary's offset and the target's own offset (over a direct connection) every
 *       {@link #POLL_MILLIS} until the target holds every byte this primary has, or give up at the
 *       timeout.
 *   <li>{@code FAILOVER TO target FORCE TIMEOUT 1}: Redis itself demotes this primary first and
 *       then tells the target to take over (PSYNC FAILOVER), the atomic part. FORCE only skips the
 *       wait for the target's REPLCONF ACK, which a replica sends once a second; step 2 already
 *       proved what that ACK would say.
 *   <li>{@code CLIENT UNPAUSE}: the waiting writes now fail with READONLY on the replica this node
 *       became, and clients reconnect to the new primary.
 * </ol>
 *
 * <p>{@code hz} is raised during the handoff so Redis notices the FAILOVER timeout within 10 ms
 * rather than 100 ms, and restored afterwards.
 */
final class SwitchoverHandoff {
  private static final Logger log = LoggerFactory.getLogger(SwitchoverHandoff.class);

  /** How often the offsets are compared while writes are paused. */
  static final long POLL_MILLIS = 2;

  /**
   * The pause outlives the catch-up wait by this much, so the handoff itself always happens while
   * paused.
   */
  static final long PAUSE_SLACK_MILLIS = 3000;

  /**
   * Redis' event-loop frequency during the handoff (the FAILOVER timeout is checked at this rate).
   */
  static final int HANDOFF_HZ = 100;

  /** How long Redis may take to finish the PSYNC FAILOVER exchange once it has demoted itself. */
  static final long HANDOVER_MILLIS = 2000;

  /**
   * What happened; {@code handedOver} false means writes resumed on this primary and nothing
   * changed.
   */
  record Result(boolean handedOver, RedisInfo after, long handoffOffset, String reason) {}

  private final RedisCommands self;
  private final RedisCommands target;
  private final Endpoint targetEndpoint;
  private final LongSupplier clock;
  private final long startedMillis;
  private String savedHz;
  private long pausedAtMillis = -1;
  private long caughtUpAtMillis = -1;

  /**
   * Set once FAILOVER was sent: from then on, an error says nothing about who is primary; INFO
   * does.
   */
  private boolean failoverSent;

  private long agreedOffset = -1;

  SwitchoverHandoff(
      RedisCommands self, RedisCommands target, Endpoint targetEndpoint, LongSupplier clock) {
    this.self = self;
    this.target = target;
    this.targetEndpoint = targetEndpoint;
    this.clock = clock;
    this.startedMillis = clock.getAsLong();
  }

  /**
   * Runs the handoff; never completes exceptionally once writes are paused (they are always
   * resumed).
   */
  CompletionStage<Result> run(long timeoutMillis) {
    // A warm connection to the target before anything is paused; a target that does not answer is
    // found out below.
    return target
        .ping()
        .handle((pong, e) -> (Void) null)
        .thenCompose(x -> raiseHz())
        .thenCompose(x -> self.pauseWrites(timeoutMillis + PAUSE_SLACK_MILLIS))
        .thenCompose(
            x -> {
              pausedAtMillis = clock.getAsLong();
              return awaitCaughtUp(pausedAtMillis + timeoutMillis)
                  .thenCompose(this::handOverIfCaughtUp)
                  .handle((result, error) -> resume().thenCompose(v -> settle(result, error)))
                  .thenCompose(stage -> stage);
            });
  }

  private CompletionStage<Void> raiseHz() {
    return self.configGet("hz")
        .thenCompose(
            hz -> {
              savedHz = hz;
              boolean slower = hz == null || Integer.parseInt(hz.trim()) < HANDOFF_HZ;
              return slower
                  ? self.configSet("hz", Integer.toString(HANDOFF_HZ)).thenApply(ok -> (Void) null)
                  : CompletableFuture.<Void>completedFuture(null);
            });
  }

  /**
   * The offset both sides hold; fails with {@link NotCaughtUp} when the target does not get there
   * by {@code deadline}.
   */
  private CompletionStage<Long> awaitCaughtUp(long deadline) {
    // A target that does not answer has not caught up; its command timeout bounds how far past the
    // deadline we go.
    CompletionStage<RedisInfo> theirs =
        target.infoReplication().handle((info, e) -> e == null ? info : null);
    return self.infoReplication()
        .thenCombine(
            theirs,
            (mine, their) -> new long[] {offset(mine), their == null ? -1 : caughtUp(mine, their)})
        .thenCompose(
            o -> {
              if (o[1] >= o[0]) {
                caughtUpAtMillis = clock.getAsLong();
                return CompletableFuture.completedFuture(o[0]);
              }
              if (clock.getAsLong() >= deadline) {
                return CompletableFuture.failedFuture(
                    new NotCaughtUp(
                        "target " + targetEndpoint + " reached offset " + o[1] + " of " + o[0]));
              }
              return later(() -> awaitCaughtUp(deadline));
            });
  }

  /** The target's offset when it replicates this primary's history, else -1 (never caught up). */
  private static long caughtUp(RedisInfo mine, RedisInfo theirs) {
    if (!mine.isPrimary()
        || theirs.isPrimary()
        || !Objects.equals(mine.masterReplId(), theirs.masterReplId())
        || theirs.replicationOffset() == null) {
      return -1;
    }
    return theirs.replicationOffset();
  }

  /**
   * This primary's offset; unknown counts as unreachable, so an unreadable INFO never passes for
   * caught up.
   */
  private static long offset(RedisInfo mine) {
    return mine.replicationOffset() == null ? Long.MAX_VALUE : mine.replicationOffset();
  }

  private CompletionStage<Result> handOverIfCaughtUp(long offset) {
    agreedOffset = offset;
    failoverSent = true;
    return self.failoverToCaughtUpTarget(targetEndpoint.host(), targetEndpoint.port())
        .thenCompose(ok -> awaitHandover(clock.getAsLong() + HANDOVER_MILLIS))
        .thenApply(
            after ->
                new Result(isFollowingTarget(after), after, offset, "handover did not complete"));
  }

  /** Polls until Redis has left the failover states; aborts the failover at the deadline. */
  private CompletionStage<RedisInfo> awaitHandover(long deadline) {
    return self.infoReplication()
        .thenCompose(
            info -> {
              if ("no-failover".equals(info.failoverState())) {
                return CompletableFuture.completedFuture(info);
              }
              if (clock.getAsLong() >= deadline) {
                // Still waiting for sync: not demoted yet, aborting resumes this primary alone.
                // Once in progress this
                // node already is a replica: aborting then could make it a primary next to a target
                // that took over.
                return "waiting-for-sync".equals(info.failoverState())
                    ? self.failoverAbort()
                        .handle((x, e) -> (Void) null)
                        .thenCompose(x -> self.infoReplication())
                    : CompletableFuture.completedFuture(info);
              }
              return later(() -> awaitHandover(deadline));
            });
  }

  private boolean isFollowingTarget(RedisInfo after) {
    return "no-failover".equals(after.failoverState())
        && !after.isPrimary()
        && targetEndpoint.host().equals(after.masterHost())
        && Integer.valueOf(targetEndpoint.port()).equals(after.masterPort());
  }

  /**
   * Unpause and restore hz, whatever happened; failures here are logged, the pause expires by
   * itself anyway.
   */
  private CompletionStage<Void> resume() {
    CompletionStage<?> unpaused =
        self.unpause()
            .handle(
                (x, e) -> {
                  if (e != null) {
                    log.warn(
                        "switchover: CLIENT UNPAUSE failed ({}); the pause expires by itself",
                        InstanceOperations.rootMessage(e));
                  }
                  return null;
                });
    return unpaused.thenCompose(x -> restoreHz());
  }

  private CompletionStage<Void> restoreHz() {
    if (savedHz == null || Integer.parseInt(savedHz.trim()) >= HANDOFF_HZ) {
      return CompletableFuture.completedFuture(null);
    }
    return self.configSet("hz", savedHz.trim()).handle((x, e) -> (Void) null);
  }

  /**
   * The outcome; after an error once FAILOVER was sent, this node's own INFO decides whether it
   * handed over.
   */
  private CompletionStage<Result> settle(Result result, Throwable error) {
    if (error == null || !failoverSent) {
      return CompletableFuture.completedFuture(finish(result, error));
    }
    return self.infoReplication()
        .handle(
            (info, e) ->
                info == null
                    ? finish(null, error)
                    : finish(
                        new Result(
                            isFollowingTarget(info),
                            info,
                            agreedOffset,
                            InstanceOperations.rootMessage(error)),
                        null));
  }

  private Result finish(Result result, Throwable error) {
    long resumed = clock.getAsLong() - pausedAtMillis;
    if (error != null) {
      Throwable cause =
          error instanceof java.util.concurrent.CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      String reason =
          cause instanceof NotCaughtUp ? cause.getMessage() : InstanceOperations.rootMessage(cause);
      log.warn(
          "switchover to {} not done: {}; writes resumed here after a {} ms pause",
          targetEndpoint,
          reason,
          resumed);
      return new Result(false, null, -1, reason);
    }
    log.info(
        "switchover to {}: writes paused after {} ms, target caught up {} ms into the pause, handed over={},"
            + " writes resumed {} ms into the pause (offset {})",
        targetEndpoint,
        pausedAtMillis - startedMillis,
        caughtUpAtMillis - pausedAtMillis,
        result.handedOver(),
        resumed,
        result.handoffOffset());
    return result;
  }

  private static <T> CompletionStage<T> later(
      java.util.function.Supplier<CompletionStage<T>> next) {
    Executor delayed = CompletableFuture.delayedExecutor(POLL_MILLIS, TimeUnit.MILLISECONDS);
    return CompletableFuture.supplyAsync(() -> null, delayed).thenCompose(x -> next.get());
  }

  /** The target did not reach this primary's offset in time: a clean refusal, nothing changed. */
  static final class NotCaughtUp extends RuntimeException {
    NotCaughtUp(String message) {
      super(message, null, false, false);
    }
  }
}
