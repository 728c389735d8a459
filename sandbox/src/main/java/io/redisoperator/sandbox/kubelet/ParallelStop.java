package io.redisoperator.sandbox.kubelet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Stops several things at once, as the kubelet stops pods and a pod's containers: each on a thread
 * of its own, so one that takes its whole grace period does not delay the others' SIGTERM, and
 * returns once all have stopped. Interrupted, it stops waiting and keeps the interrupt.
 */
final class ParallelStop {
  private ParallelStop() {}

  static <T> void each(
      Iterable<T> items, Function<? super T, String> threadName, Consumer<? super T> stop) {
    List<Thread> stoppers = new ArrayList<>();
    for (T item : items) {
      Thread t = new Thread(() -> stop.accept(item), threadName.apply(item));
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
