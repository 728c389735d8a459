package io.redisoperator.agent.instance;

import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.protocol.agent.MonotonicClock;
import io.redisoperator.protocol.agent.OperationResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fencing: whether the instance may take writes. The marker and conf are written before Redis is
 * told, so whatever happens next Redis starts fenced; a fence Redis has not confirmed is applied
 * again until it is.
 */
public final class FencingOperations {
  private static final Logger log = LoggerFactory.getLogger(FencingOperations.class);

  private final StateApplier applier;
  private final StatusBoard board;
  private final MonotonicClock clock;

  FencingOperations(StateApplier applier, StatusBoard board, MonotonicClock clock) {
    this.applier = applier;
    this.board = board;
    this.clock = clock;
  }

  public CompletionStage<Transition> fence(InstanceState s, String reason, boolean self) {
    FenceMarker marker = new FenceMarker(reason, self, clock.instant().toString());
    InstanceState next = s.withFence(marker);
    return applier
        .persist(next)
        .thenCompose(x -> applier.applyWritability(next))
        .handle(
            (x, error) -> {
              if (error == null || !board.redisRunning()) {
                log.warn("{}fenced: {}", self ? "self-" : "", reason);
                board.publish(next.view());
                return applier
                    .status()
                    .thenApply(
                        st -> new Transition(next, Outcome.ok(new OperationResult("fenced", st))));
              }
              return StateApplier.done(
                  next,
                  Outcome.unavailable(
                      "fence recorded but Redis did not confirm it: "
                          + InstanceOperations.rootMessage(error)));
            })
        .thenCompose(t -> t);
  }

  public CompletionStage<Transition> unfence(InstanceState s, boolean onlySelfFence) {
    if (onlySelfFence && !s.selfFenced()) {
      return CompletableFuture.completedFuture(new Transition(s, Outcome.ok("not self-fenced")));
    }
    InstanceState next = s.withFence(null).withHold(false);
    log.info("{} lifted", onlySelfFence ? "self-fence" : "fence");
    return applier.commit(next, "unfenced");
  }

  /**
   * Writes the conf and marker of the current state again and applies its writability to Redis: a
   * fence whose CONFIG SET failed (Redis busy, restarting) is retried until Redis confirms it.
   */
  public CompletionStage<Transition> reassertWritability(InstanceState s) {
    return applier
        .persist(s)
        .thenCompose(x -> applier.applyWritability(s))
        .thenApply(
            x -> {
              log.info("Redis confirmed it {} writes", s.writable() ? "accepts" : "refuses");
              return new Transition(s, Outcome.ok("writability applied"));
            });
  }
}
