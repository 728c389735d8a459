package io.redisoperator.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MonotonicClockTest {
  private static final Instant START = Instant.parse("2026-12-04T12:00:00Z");

  @Test
  void wallClockStepsDoNotMoveIt() {
    AtomicLong nanos = new AtomicLong(42);
    // A wall clock read once at creation; whatever it says later (a step forward or back) must not
    // matter.
    MonotonicClock clock = new MonotonicClock(Clock.fixed(START, ZoneOffset.UTC), nanos::get);
    nanos.addAndGet(Duration.ofMillis(1500).toNanos());
    assertEquals(START.plusMillis(1500), clock.instant());
    assertEquals(START.plusMillis(1500).toEpochMilli(), clock.millis());
  }

  @Test
  void durationsMeasuredAcrossAStepAreTheElapsedTime() {
    AtomicLong nanos = new AtomicLong();
    MonotonicClock clock = new MonotonicClock(Clock.fixed(START, ZoneOffset.UTC), nanos::get);
    long contact = clock.millis();
    // The machine's date is set back an hour here; 3 s really pass.
    nanos.addAndGet(Duration.ofSeconds(3).toNanos());
    assertEquals(
        3000,
        clock.millis() - contact,
        "a self-fencing check sees 3 s without contact, not minus an hour");
  }

  @Test
  void deadlinesAreMeasuredOnTheSameNanosAsItsInstants() {
    AtomicLong nanos = new AtomicLong(7);
    MonotonicClock clock = new MonotonicClock(Clock.fixed(START, ZoneOffset.UTC), nanos::get);
    long deadline = clock.nanos() + Duration.ofSeconds(2).toNanos();
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertEquals(0, clock.nanos() - deadline);
    assertEquals(START.plusSeconds(2), clock.instant());
  }
}
