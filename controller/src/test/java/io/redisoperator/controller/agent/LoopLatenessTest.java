package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopLatenessTest {
  private static final long MS = 1_000_000L;

  @Test
  void aLateTickIsRememberedForAWindowAtLeast() {
    LoopLateness lateness = new LoopLateness(0);
    assertEquals(Duration.ZERO, lateness.current(10 * MS));
    lateness.ticked(300 * MS, 100 * MS);
    lateness.ticked(5 * MS, 150 * MS);
    assertEquals(Duration.ofMillis(300), lateness.current(200 * MS));
    // The next window still shows it: a reader right after the roll sees the busy loop.
    lateness.ticked(2 * MS, 600 * MS);
    assertEquals(Duration.ofMillis(300), lateness.current(700 * MS));
    // Two windows later it is forgotten.
    lateness.ticked(1 * MS, 1_100 * MS);
    assertEquals(Duration.ofMillis(2), lateness.current(1_200 * MS));
  }

  @Test
  void earlyTicksCountAsOnTime() {
    LoopLateness lateness = new LoopLateness(0);
    lateness.ticked(-3 * MS, 100 * MS);
    assertEquals(Duration.ZERO, lateness.current(100 * MS));
  }
}
