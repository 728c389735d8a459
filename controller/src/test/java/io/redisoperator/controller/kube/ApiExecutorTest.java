package io.redisoperator.controller.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiExecutorTest {
  /**
   * A start-up of 1000 clusters queues about twenty creates per cluster at once, behind threads
   * that are all busy: every one of them waits its turn, none is rejected.
   */
  @Test
  void aThousandClustersCreatesAllWaitTheirTurn() throws Exception {
    ThreadPoolExecutor executor = ApiExecutor.create(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    try {
      for (int i = 0; i < 2; i++) {
        executor.execute(
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
      }
      for (int i = 0; i < 20_000; i++) {
        executor.execute(ran::incrementAndGet);
      }
      assertEquals(20_000, executor.getQueue().size(), "queued behind the busy threads");
      release.countDown();
      executor.shutdown();
      assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
      assertEquals(20_000, ran.get());
    } finally {
      executor.shutdownNow();
    }
  }

  /**
   * Behind a busy thread, the waiting calls go by rank, lower first, and in the order they came
   * within a rank: the calls of the cluster taken up first before a later cluster's that were
   * queued earlier (FIFO, every cluster's next step waited behind every other's previous one).
   */
  @Test
  void waitingCallsGoByRankThenArrival() throws Exception {
    ThreadPoolExecutor executor = ApiExecutor.create(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    try {
      executor.execute(
          () -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      executor.execute(new RankedCall(3, () -> ran.add("third cluster")));
      executor.execute(new RankedCall(2, () -> ran.add("second cluster, first call")));
      executor.execute(new RankedCall(1, () -> ran.add("first cluster")));
      executor.execute(new RankedCall(2, () -> ran.add("second cluster, second call")));
      executor.execute(() -> ran.add("no cluster"));
      release.countDown();
      executor.shutdown();
      assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
      assertEquals(
          List.of(
              "no cluster",
              "first cluster",
              "second cluster, first call",
              "second cluster, second call",
              "third cluster"),
          ran);
    } finally {
      executor.shutdownNow();
    }
  }
}
