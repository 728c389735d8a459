package io.redisoperator.controller.kube;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every API call of {@link KubeGateway} runs on (fabric8's calls block), and the queue
 * of the calls waiting for one.
 *
 * <p>The queue has no bound of its own: what bounds it is that every cluster actor has one pass in
 * flight at a time and waits for its calls, so it holds at most one pass's calls per cluster (about
 * twenty when a cluster is created, 20,000 for 1000 clusters created at once). A bound of 10,000
 * rejected the creates of a start-up of 1000 clusters; each rejected pass was retried 2 s later,
 * and its creates that had gone through meanwhile came back 409.
 */
public final class ApiExecutor {
  private ApiExecutor() {}

  public static ThreadPoolExecutor create(int threads) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        60,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "kube-api-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
