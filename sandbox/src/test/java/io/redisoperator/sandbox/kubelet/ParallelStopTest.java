package io.redisoperator.sandbox.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParallelStopTest {
  @Test
  void stopsEachOnItsOwnThreadAtOnceAndReturnsWhenAllHaveStopped() {
    List<String> items = List.of("a", "b", "c");
    // Each stop waits until every stop has begun: one after the other, none would get there.
    CountDownLatch allBegun = new CountDownLatch(items.size());
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Set<String> stopped = ConcurrentHashMap.newKeySet();
    Set<Boolean> sawAll = ConcurrentHashMap.newKeySet();

    ParallelStop.each(
        items,
        item -> "stop-" + item,
        item -> {
          threads.add(Thread.currentThread().getName());
          allBegun.countDown();
          try {
            sawAll.add(allBegun.await(10, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          stopped.add(item);
        });

    assertEquals(Set.of(true), sawAll, "every stop ran while the others did");
    assertEquals(Set.of("stop-a", "stop-b", "stop-c"), threads);
    assertEquals(Set.copyOf(items), stopped, "returned once all had stopped");
    assertTrue(!Thread.currentThread().isInterrupted());
  }
}
