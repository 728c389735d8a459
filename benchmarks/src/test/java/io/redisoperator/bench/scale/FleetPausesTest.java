package io.redisoperator.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FleetPausesTest {
  private static final Instant START = Instant.parse("2026-12-06T15:50:00Z");
  private static final Instant END = Instant.parse("2026-12-06T15:52:00Z");

  @Test
  void theLongestPauseInTheWindowCountsAndThoseOutsideDoNot() {
    FleetPauses pauses =
        FleetPauses.of(
            Stream.of(
                "[2026-12-06T15:49:45.813+0000][236.008s] GC(3) Pause Young (Allocation Failure)"
                    + " 128M->32M(365M) 2279.784ms",
                "[2026-12-06T15:50:10.000+0000][260.195s] GC(4) Pause Young (Allocation Failure)"
                    + " 133M->40M(365M) 82.138ms",
                "[2026-12-06T15:51:00.000+0000][310.195s] GC(5) Pause Full (Allocation Failure)"
                    + " 1900M->300M(2000M) 1511.882ms",
                "[2026-12-06T15:51:30.000+0000][340.195s] GC(6) Pause Young (Allocation Failure)"
                    + " 133M->40M(365M) 260.0ms",
                "[2026-12-06T15:52:30.000+0000][400.195s] GC(7) Pause Young (Allocation Failure)"
                    + " 133M->40M(365M) 3000.0ms",
                "[2026-12-06T15:51:40.000+0000][350.000s] Using Serial"),
            START,
            END);
    assertEquals(new FleetPauses(1512, 2), pauses);
  }

  @Test
  void aPauseThatEndsInsideTheWindowCountsThoughItBeganBefore() {
    FleetPauses pauses =
        FleetPauses.of(
            Stream.of(
                "[2026-12-06T15:50:00.300+0000][236.008s] GC(3) Pause Young (Allocation Failure)"
                    + " 128M->32M(365M) 900.000ms"),
            START,
            END);
    assertEquals(new FleetPauses(900, 1), pauses);
  }

  @Test
  void aWindowWithoutPausesHasNone() {
    assertEquals(new FleetPauses(0, 0), FleetPauses.of(Stream.empty(), START, END));
  }
}
