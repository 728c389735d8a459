package io.redisoperator.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fleet's longest collection pause in a window, from its GC log ({@code -Xlog:gc} with the
 * {@code time} decoration). Every simulated agent stops answering while the fleet pauses: a pause
 * past the controller's overdue mark for a primary's poll (250 ms) makes the controller record
 * primaries unanswered and write their status, which measures the fleet, not the controller.
 */
record FleetPauses(long longestMillis, int pausesOverOverdue) {
  /** The controller's {@code PollSchedule.OVERDUE}: a primary's poll unanswered this long. */
  static final Duration CONTROLLER_OVERDUE = Duration.ofMillis(250);

  static final FleetPauses NOT_READ = new FleetPauses(-1, 0);

  /**
   * {@code [2026-12-06T15:49:45.813+0000][236.008s] GC(3) Pause Young (...) 128M->32M(365M)
   * 279.784ms}.
   */
  private static final Pattern PAUSE =
      Pattern.compile("^\\[([^\\]]+)\\].*\\bPause\\b.*\\s(\\d+(?:\\.\\d+)?)ms\\s*$");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  /**
   * The pauses of {@code gcLog} that overlap [{@code start}, {@code end}]; NOT_READ without a log.
   */
  static FleetPauses read(Path gcLog, Instant start, Instant end) {
    if (!Files.isReadable(gcLog)) {
      return NOT_READ;
    }
    try (Stream<String> lines = Files.lines(gcLog)) {
      return of(lines, start, end);
    } catch (IOException e) {
      return NOT_READ;
    }
  }

  /**
   * A pause's line is written when it ends; it overlaps the window if it ended after {@code start}
   * and began before {@code end}.
   */
  static FleetPauses of(Stream<String> lines, Instant start, Instant end) {
    long longest = 0;
    int overOverdue = 0;
    for (String line : (Iterable<String>) lines::iterator) {
      Matcher m = PAUSE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Instant ended;
      try {
        ended = OffsetDateTime.parse(m.group(1), TIME).toInstant();
      } catch (DateTimeParseException e) {
        continue;
      }
      double millis = Double.parseDouble(m.group(2));
      Instant began = ended.minusNanos((long) (millis * 1_000_000));
      if (ended.isBefore(start) || began.isAfter(end)) {
        continue;
      }
      longest = Math.max(longest, Math.round(millis));
      if (millis >= CONTROLLER_OVERDUE.toMillis()) {
        overOverdue++;
      }
    }
    return new FleetPauses(longest, overOverdue);
  }
}
