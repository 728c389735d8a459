package io.redisoperator.controller.kube;

/**
 * A call for the {@link ApiExecutor} carrying the rank it queues by ({@link CallRank}); any other
 * {@link Runnable} queues as {@link CallRank#UNRANKED}.
 */
public record RankedCall(long rank, Runnable call) implements Runnable {
  @Override
  public void run() {
    call.run();
  }
}
