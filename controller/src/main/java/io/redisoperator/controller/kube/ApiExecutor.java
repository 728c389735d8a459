package io.redisoperator.controller.kube;

import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads every API call of {@link KubeGateway} runs on (fabric8's calls block), and the queue
 * of the calls waiting for one, taken in {@link CallRank} order: the calls of the clusters the
 * controller took up first go first.
 *
 * <p>The queue has no bound of its own: what bounds it is that every cluster actor has one pass in
 * flight at a time and waits for its calls, so it holds at most one pass's calls per cluster (about
 * twenty when a cluster is created, 20,000 for 1000 clusters created at once). A bound of 10,000
 * rejected the creates of a start-up of 1000 clusters; each rejected pass was retried 2 s later,
 * and its creates that had gone through meanwhile came back 409.
 */
public final class ApiExecutor extends ThreadPoolExecutor {
  private final AtomicLong arrivals = new AtomicLong();

  private ApiExecutor(int threads) {
    super(threads, threads, 60, TimeUnit.SECONDS, new PriorityBlockingQueue<>(), namedThreads());
  }

  public static ThreadPoolExecutor create(int threads) {
    return new ApiExecutor(threads);
  }

  @Override
  public void execute(Runnable command) {
    long rank = command instanceof RankedCall ranked ? ranked.rank() : CallRank.UNRANKED;
    super.execute(new Queued(new CallRank(rank, arrivals.incrementAndGet()), command));
  }

  private static ThreadFactory namedThreads() {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "kube-api-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A call in the queue, ordered by its rank. */
  private record Queued(CallRank rank, Runnable call) implements Runnable, Comparable<Queued> {
    @Override
    public void run() {
      call.run();
    }

    @Override
    public int compareTo(Queued other) {
      return rank.compareTo(other.rank);
    }
  }
}
