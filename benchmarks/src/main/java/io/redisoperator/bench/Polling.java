package io.redisoperator.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting on conditions the benchmark reads from informer caches and its own logs (no API
 * requests).
 */
final class Polling {
  private static final long STEP_MILLIS = 20;

  private Polling() {}

  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      sleep(STEP_MILLIS);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
