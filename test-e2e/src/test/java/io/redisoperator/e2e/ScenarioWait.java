package io.redisoperator.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a condition from the test thread, polled. */
final class ScenarioWait {
  private ScenarioWait() {}

  static boolean until(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      pause(Duration.ofMillis(100));
    }
    return condition.getAsBoolean();
  }

  /** The polling interval between two looks at a condition. */
  static void pause(Duration interval) {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
