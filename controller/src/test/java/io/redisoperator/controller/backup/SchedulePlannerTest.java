package io.redisoperator.controller.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.RedisScheduledBackupSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Schedules under a controllable clock: time zones, DST, suspend, immediate, catch-up, invalid
 * input.
 */
class SchedulePlannerTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private static RedisScheduledBackupSpec spec(String cron, String zone) {
    RedisScheduledBackupSpec s = new RedisScheduledBackupSpec();
    s.setSchedule(cron);
    s.setTimeZone(zone);
    return s;
  }

  private static Instant paris(int year, int month, int day, int hour, int minute) {
    return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, PARIS).toInstant();
  }

  /**
   * Steps a clock five minutes at a time, feeding each plan's recorded time back as the status
   * would.
   */
  private static List<Instant> runs(RedisScheduledBackupSpec spec, Instant from, Instant to) {
    List<Instant> created = new ArrayList<>();
    Instant last = null;
    for (Instant now = from; !now.isAfter(to); now = now.plusSeconds(300)) {
      SchedulePlanner.Plan p = SchedulePlanner.plan(spec, last, from, now);
      if (p.due() != null) {
        last = p.due();
      }
      if (p.create()) {
        created.add(p.due());
      }
    }
    return created;
  }

  @Test
  void dailyRunFollowsTheTimeZone() {
    RedisScheduledBackupSpec s = spec("0 3 * * *", "Europe/Paris");
    List<Instant> r = runs(s, paris(2026, 6, 1, 0, 0), paris(2026, 6, 3, 23, 0));
    assertEquals(
        List.of(paris(2026, 6, 1, 3, 0), paris(2026, 6, 2, 3, 0), paris(2026, 6, 3, 3, 0)), r);
    assertEquals(
        Instant.parse("2026-06-01T01:00:00Z"), r.get(0), "03:00 Paris is 01:00 UTC in summer");
  }

  @Test
  void aRunInsideTheSpringForwardGapHappensOnceThatDayAndTheAutumnRepeatOnlyOnce() {
    // 2026-03-29: Paris jumps from 02:00 to 03:00; 02:30 does not exist.
    List<Instant> spring =
        runs(
            spec("30 2 * * *", "Europe/Paris"),
            paris(2026, 3, 28, 12, 0),
            paris(2026, 3, 30, 12, 0));
    assertEquals(
        List.of(paris(2026, 3, 30, 2, 30)),
        spring,
        "the skipped wall-clock time does not run that day");
    // 2026-10-25: 02:30 happens twice (CEST then CET): one run only.
    List<Instant> autumn =
        runs(
            spec("30 2 * * *", "Europe/Paris"),
            paris(2026, 10, 24, 12, 0),
            paris(2026, 10, 25, 12, 0));
    assertEquals(1, autumn.size(), "one run on the day 02:30 occurs twice: " + autumn);
  }

  @Test
  void missedRunsAreCaughtUpAtMostOnce() {
    RedisScheduledBackupSpec s = spec("*/10 * * * *", null);
    Instant last = Instant.parse("2026-01-01T00:00:00Z");
    // The operator was down for an hour: six runs were missed, one catch-up run is planned, for the
    // latest of them.
    SchedulePlanner.Plan p =
        SchedulePlanner.plan(s, last, last, Instant.parse("2026-01-01T01:05:00Z"));
    assertTrue(p.create());
    assertEquals(Instant.parse("2026-01-01T01:00:00Z"), p.due());
    assertEquals(Instant.parse("2026-01-01T01:10:00Z"), p.next());
    SchedulePlanner.Plan after =
        SchedulePlanner.plan(s, p.due(), last, Instant.parse("2026-01-01T01:06:00Z"));
    assertFalse(after.create());
  }

  @Test
  void suspendedSchedulesCreateNothingAndDoNotCatchUpOnResume() {
    RedisScheduledBackupSpec s = spec("*/5 * * * *", "UTC");
    s.setSuspend(true);
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    List<Instant> r = runs(s, created, Instant.parse("2026-01-01T01:00:00Z"));
    assertEquals(List.of(), r);
    SchedulePlanner.Plan p =
        SchedulePlanner.plan(s, null, created, Instant.parse("2026-01-01T00:07:00Z"));
    assertNull(p.next());
    assertEquals(Instant.parse("2026-01-01T00:05:00Z"), p.due(), "the skipped run is recorded");
    s.setSuspend(false);
    assertFalse(
        SchedulePlanner.plan(s, p.due(), created, Instant.parse("2026-01-01T00:08:00Z")).create());
  }

  @Test
  void immediateRunsOnceAtCreation() {
    RedisScheduledBackupSpec s = spec("0 3 * * *", null);
    s.setImmediate(true);
    Instant now = Instant.parse("2026-01-01T12:00:05Z");
    SchedulePlanner.Plan p = SchedulePlanner.plan(s, null, now, now);
    assertTrue(p.create());
    assertFalse(SchedulePlanner.plan(s, p.due(), now, now.plusSeconds(60)).create());
  }

  @Test
  void nothingRunsForTimesBeforeTheScheduleExisted() {
    RedisScheduledBackupSpec s = spec("0 * * * *", null);
    Instant created = Instant.parse("2026-01-01T10:30:00Z");
    assertFalse(SchedulePlanner.plan(s, null, created, created.plusSeconds(60)).create());
    assertTrue(
        SchedulePlanner.plan(s, null, created, Instant.parse("2026-01-01T11:00:10Z")).create());
  }

  @Test
  void invalidScheduleOrZoneIsReported() {
    SchedulePlanner.Plan badCron =
        SchedulePlanner.plan(spec("every day", null), null, Instant.EPOCH, Instant.EPOCH);
    assertFalse(badCron.valid());
    assertEquals(ConditionReason.INVALID_SCHEDULE, badCron.reason());
    assertFalse(
        SchedulePlanner.plan(spec("0 3 * * * *", null), null, Instant.EPOCH, Instant.EPOCH).valid(),
        "six fields are not standard cron");
    SchedulePlanner.Plan badZone =
        SchedulePlanner.plan(spec("0 3 * * *", "Mars/Olympus"), null, Instant.EPOCH, Instant.EPOCH);
    assertFalse(badZone.valid());
    assertEquals(ConditionReason.INVALID_TIME_ZONE, badZone.reason());
    assertTrue(badZone.message().contains("spec.timeZone"));
  }

  @Test
  void longestIntervalCoversIrregularSchedulesAndDst() {
    Instant from = Instant.parse("2026-01-05T12:00:00Z");
    assertEquals(
        Optional.of(Duration.ofMinutes(5)),
        SchedulePlanner.longestInterval("*/5 * * * *", null, from));
    assertEquals(
        Optional.of(Duration.ofHours(24)),
        SchedulePlanner.longestInterval("0 2 * * *", "UTC", from));
    // Weekdays only: Friday to Monday.
    assertEquals(
        Optional.of(Duration.ofHours(72)),
        SchedulePlanner.longestInterval("0 2 * * 1-5", null, from));
    // 01:30 every day in Paris: the night clocks go back is 25 hours long.
    assertEquals(
        Optional.of(Duration.ofHours(25)),
        SchedulePlanner.longestInterval("30 1 * * *", "Europe/Paris", from));
    assertEquals(Optional.empty(), SchedulePlanner.longestInterval("not cron", null, from));
    assertEquals(
        Optional.empty(), SchedulePlanner.longestInterval("0 2 * * *", "Mars/Olympus", from));
  }
}
