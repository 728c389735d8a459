package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.ConfInputs;
import io.redisoperator.agent.config.ConfigFiles;
import io.redisoperator.agent.config.RedisConfRenderer;
import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Makes an {@link InstanceState} true on disk and in Redis: redis.conf and the fence marker, the
 * writability Redis applies live, and the status that answers an operation. Every operation ends
 * through it.
 */
final class StateApplier {
  private final InstanceOperations.Layout layout;
  private final RedisCommands redis;
  private final StatusBoard board;
  private final Executor blocking;

  StateApplier(
      InstanceOperations.Layout layout, RedisCommands redis, StatusBoard board, Executor blocking) {
    this.layout = layout;
    this.redis = redis;
    this.board = board;
    this.blocking = blocking;
  }

  /** Persists the state, applies writability live, and answers with the fresh status. */
  CompletionStage<Transition> commit(InstanceState next, String message) {
    return persist(next)
        .thenCompose(x -> applyWritability(next))
        .thenCompose(
            x -> {
              board.publish(next.view());
              return status();
            })
        .thenApply(st -> new Transition(next, Outcome.ok(new OperationResult(message, st))));
  }

  /**
   * min-replicas-to-write is how a primary refuses writes: impossible while fenced or held, else
   * the durability.
   */
  CompletionStage<String> applyWritability(InstanceState s) {
    // Until Redis answers OK, what it applies is unknown: the status does not report a fence it has
    // not confirmed.
    board.recordWritabilityApplying();
    return redis
        .configSet(
            Map.of(
                "min-replicas-to-write",
                Integer.toString(RedisConfRenderer.minReplicasToWrite(s.settings(), s.writable())),
                "min-replicas-max-lag",
                Integer.toString(RedisConfRenderer.minReplicasMaxLag(s.settings()))))
        .thenApply(
            ok -> {
              board.recordWritabilityApplied(s.writable());
              return ok;
            });
  }

  /** Writes redis.conf and the fence marker for this state (off the caller's thread). */
  CompletionStage<Void> persist(InstanceState s) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            String conf =
                RedisConfRenderer.render(
                    new ConfInputs(
                        layout.podIp(),
                        layout.redisPort(),
                        layout.dataDir(),
                        s.password() == null ? null : s.password().value(),
                        s.replicaOf(),
                        s.writable(),
                        s.settings(),
                        layout.redisTlsDir()));
            if (s.fence() != null) {
              FenceMarker.save(layout.dataDir(), s.fence());
            } else {
              FenceMarker.delete(layout.dataDir());
            }
            ConfigFiles.writePrivate(layout.confFile(), conf);
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  /** A fresh status (INFO now), or the status with Redis down when it does not answer in time. */
  CompletionStage<InstanceStatus> status() {
    long issued = board.nowMillis();
    return redis
        .info()
        .handle(
            (info, error) -> {
              if (error != null) {
                return board.status(null);
              }
              board.recordInfo(info, issued);
              return board.status(info);
            });
  }

  static CompletionStage<Transition> done(InstanceState s, Outcome outcome) {
    return CompletableFuture.completedFuture(new Transition(s, outcome));
  }
}
