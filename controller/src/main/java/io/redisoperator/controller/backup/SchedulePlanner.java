package io.redisoperator.controller.backup;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.RedisScheduledBackupSpec;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Pure: what a RedisScheduledBackup does at {@code now}. Standard five-field cron (cron-utils, Unix
 * definition) read in the schedule's IANA time zone, so a run at 02:30 follows the zone's DST
 * changes (a wall-clock time that occurs twice when clocks go back runs once). Runs missed while
 * the operator was down are caught up at most once (the latest one); a suspended schedule records
 * the times it skips so resuming does not catch them up; {@code immediate} adds one run when the
 * schedule has never run.
 */
public final class SchedulePlanner {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private SchedulePlanner() {}

  /**
   * @param due the scheduled time to record as lastScheduleTime now (null: unchanged)
   * @param create whether to create a RedisBackup for {@code due}
   * @param next the next scheduled time (null when suspended or invalid)
   */
  public record Plan(
      boolean valid,
      ConditionReason reason,
      String message,
      Instant due,
      boolean create,
      Instant next) {}

  /**
   * @param lastScheduled status.lastScheduleTime (null: never ran)
   * @param created the schedule's creation time: runs before it are not missed runs
   */
  public static Plan plan(
      RedisScheduledBackupSpec spec, Instant lastScheduled, Instant created, Instant now) {
    ExecutionTime times;
    try {
      Cron cron = PARSER.parse(spec.getSchedule() == null ? "" : spec.getSchedule().trim());
      cron.validate();
      times = ExecutionTime.forCron(cron);
    } catch (IllegalArgumentException e) {
      return invalid(
          ConditionReason.INVALID_SCHEDULE,
          "spec.schedule '"
              + spec.getSchedule()
              + "' is not a standard"
              + " five-field cron expression: "
              + e.getMessage());
    }
    ZoneId zone;
    try {
      zone =
          spec.getTimeZone() == null || spec.getTimeZone().isBlank()
              ? ZoneOffset.UTC
              : ZoneId.of(spec.getTimeZone());
    } catch (DateTimeException e) {
      return invalid(
          ConditionReason.INVALID_TIME_ZONE,
          "spec.timeZone '" + spec.getTimeZone() + "' is not an IANA time zone: " + e.getMessage());
    }
    ZonedDateTime zonedNow = now.atZone(zone);
    Instant latestDue = latestAtOrBefore(times, zonedNow).orElse(null);
    Instant next = times.nextExecution(zonedNow).map(ZonedDateTime::toInstant).orElse(null);
    String message = "'" + spec.getSchedule() + "' in " + zone.getId();
    boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
    Instant reference = lastScheduled != null ? lastScheduled : created != null ? created : now;
    boolean missed = latestDue != null && latestDue.isAfter(reference);
    if (suspended) {
      return new Plan(
          true,
          ConditionReason.SCHEDULE_PARSED,
          message + " (suspended)",
          missed ? latestDue : null,
          false,
          null);
    }
    if (lastScheduled == null && Boolean.TRUE.equals(spec.getImmediate())) {
      return new Plan(
          true,
          ConditionReason.SCHEDULE_PARSED,
          message,
          now.truncatedTo(ChronoUnit.SECONDS),
          true,
          next);
    }
    // When clocks go back, the same wall-clock time comes twice: like cron, run it once.
    boolean repeatedWallClock =
        missed
            && lastScheduled != null
            && latestDue
                .atZone(zone)
                .toLocalDateTime()
                .equals(lastScheduled.atZone(zone).toLocalDateTime());
    return new Plan(
        true,
        ConditionReason.SCHEDULE_PARSED,
        message,
        missed ? latestDue : null,
        missed && !repeatedWallClock,
        next);
  }

  /**
   * Runs looked at by {@link #longestInterval}: a year of them, or this many, whichever comes
   * first.
   */
  static final int INTERVAL_RUNS = 4096;

  /**
   * The longest gap between two consecutive runs of the schedule from {@code from} on, over the
   * next year or {@value #INTERVAL_RUNS} runs (whichever is shorter): a weekdays-only schedule
   * answers the weekend gap, a daily one in a DST zone 25 hours. It is how old the newest
   * successful backup may get before a run was missed. Empty for an invalid schedule or time zone,
   * or one that never runs again.
   */
  public static Optional<Duration> longestInterval(String schedule, String timeZone, Instant from) {
    ExecutionTime times;
    ZoneId zone;
    try {
      Cron cron = PARSER.parse(schedule == null ? "" : schedule.trim());
      cron.validate();
      times = ExecutionTime.forCron(cron);
      zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone);
    } catch (IllegalArgumentException | DateTimeException e) {
      return Optional.empty();
    }
    ZonedDateTime horizon = from.atZone(zone).plusYears(1);
    Optional<ZonedDateTime> previous = times.nextExecution(from.atZone(zone));
    Duration longest = null;
    for (int i = 0;
        i < INTERVAL_RUNS && previous.isPresent() && previous.get().isBefore(horizon);
        i++) {
      Optional<ZonedDateTime> next = times.nextExecution(previous.get());
      if (next.isEmpty()) {
        break;
      }
      Duration gap = Duration.between(previous.get(), next.get());
      longest = longest == null || gap.compareTo(longest) > 0 ? gap : longest;
      previous = next;
    }
    return Optional.ofNullable(longest);
  }

  /**
   * The latest scheduled time at or before {@code now} (cron-utils' lastExecution is strictly
   * before).
   */
  private static Optional<Instant> latestAtOrBefore(ExecutionTime times, ZonedDateTime now) {
    ZonedDateTime minute = now.truncatedTo(ChronoUnit.MINUTES);
    if (times.isMatch(minute)) {
      return Optional.of(minute.toInstant());
    }
    return times.lastExecution(now).map(ZonedDateTime::toInstant);
  }

  private static Plan invalid(ConditionReason reason, String message) {
    return new Plan(false, reason, message, null, false, null);
  }
}
