package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WatchedDeadlineTest {
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  @Test
  void aTimerOnTimeEndsTheCall() {
    assertEquals(
        Duration.ZERO,
        WatchedDeadline.extension(Duration.ofMillis(3), Duration.ZERO, TIMEOUT),
        "a controller that keeps up times out exactly as before");
    assertEquals(
        Duration.ZERO, WatchedDeadline.extension(WatchedDeadline.LATE, Duration.ZERO, TIMEOUT));
  }

  @Test
  void aLateTimerWaitsAsLongAgainAsItWasLate() {
    assertEquals(
        Duration.ofMillis(300),
        WatchedDeadline.extension(Duration.ofMillis(300), Duration.ZERO, TIMEOUT));
  }

  @Test
  void theDeadlineGrowsByOneTimeoutAtMost() {
    assertEquals(
        Duration.ofMillis(200),
        WatchedDeadline.extension(Duration.ofMillis(500), Duration.ofMillis(600), TIMEOUT));
    assertEquals(Duration.ZERO, WatchedDeadline.extension(Duration.ofSeconds(3), TIMEOUT, TIMEOUT));
  }
}
