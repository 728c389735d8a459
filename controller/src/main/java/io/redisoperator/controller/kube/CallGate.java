package io.redisoperator.controller.kube;

import java.util.PriorityQueue;

/**
 * A bound on how many calls of one kind are in flight, for calls the API server serves one at a
 * time anyway. Calls past the bound wait here, in {@link CallRank} order, without taking an {@link
 * ApiExecutor} thread; each call that ends lets the next one go to the executor.
 *
 * <p>A Service create is such a call: the API server allocates a Service's cluster IP by creating
 * an IPAddress object, and its allocator holds one lock across that create, so the creates of a
 * start-up reach etcd one after another however many are sent. Sent all at once they only waited in
 * the API server, each holding one of the controller's API threads: at N=1000, 27 of the 32 API
 * threads waited on Service creates (1.7 s each at the median) and every other call of every
 * cluster (its pods, budgets, RoleBindings, status) shared the other five (docs/performance.md,
 * Density).
 */
final class CallGate {
  private final int limit;
  private final PriorityQueue<Waiting> waiting = new PriorityQueue<>();
  private int inFlight;
  private long arrivals;

  CallGate(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a gate lets at least one call through: " + limit);
    }
    this.limit = limit;
  }

  /**
   * Runs {@code start} now if fewer than the limit are in flight, else once enough have ended.
   * {@code start} sends the call; whoever sees it end calls {@link #ended()}, exactly once.
   */
  void enter(long rank, Runnable start) {
    synchronized (this) {
      if (inFlight >= limit) {
        waiting.add(new Waiting(new CallRank(rank, ++arrivals), start));
        return;
      }
      inFlight++;
    }
    start.run();
  }

  /** One call let through has ended: the first waiting one, if any, goes in its place. */
  void ended() {
    Waiting next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
        return;
      }
    }
    next.start().run();
  }

  /** Calls waiting here, not yet sent. */
  synchronized int waiting() {
    return waiting.size();
  }

  private record Waiting(CallRank rank, Runnable start) implements Comparable<Waiting> {
    @Override
    public int compareTo(Waiting other) {
      return rank.compareTo(other.rank);
    }
  }
}
