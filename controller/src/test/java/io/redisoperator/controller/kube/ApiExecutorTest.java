package io.redisoperator.controller.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
