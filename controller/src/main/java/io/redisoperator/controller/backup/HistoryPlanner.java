package io.redisoperator.controller.backup;

import io.redisoperator.protocol.crd.BackupPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure: which backups of a schedule to delete. Completed backups older than the retention go first,
 * together with their objects in the store; then the oldest Completed and Failed ones beyond the
 * history limits (their objects are kept unless the backup's own deletionPolicy is Delete). Pending
 * and Running backups are never touched.
 */
public final class HistoryPlanner {
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(s|m|h|d)");

  private HistoryPlanner() {}

  /** One backup of the schedule as the planner needs it. */
  public record Entry(String name, BackupPhase phase, Instant created, Instant stopped) {}

  /**
   * @param deleteObjects the store objects go too (retention)
   */
  public record Deletion(String name, boolean deleteObjects, String reason) {}

  public static List<Deletion> plan(
      List<Entry> backups, int successfulLimit, int failedLimit, Duration retention, Instant now) {
    List<Deletion> deletions = new ArrayList<>();
    List<Entry> keptCompleted = new ArrayList<>();
    List<Entry> failed = new ArrayList<>();
    for (Entry e : backups) {
      if (e.phase() == BackupPhase.COMPLETED) {
        Instant age = e.stopped() != null ? e.stopped() : e.created();
        if (retention != null && age != null && age.plus(retention).isBefore(now)) {
          deletions.add(new Deletion(e.name(), true, "older than the retention of " + retention));
        } else {
          keptCompleted.add(e);
        }
      } else if (e.phase() == BackupPhase.FAILED) {
        failed.add(e);
      }
    }
    deletions.addAll(beyond(keptCompleted, successfulLimit, "successfulBackupsHistoryLimit"));
    deletions.addAll(beyond(failed, failedLimit, "failedBackupsHistoryLimit"));
    return deletions;
  }

  private static List<Deletion> beyond(List<Entry> entries, int limit, String field) {
    List<Entry> newestFirst = new ArrayList<>(entries);
    newestFirst.sort(
        Comparator.comparing((Entry e) -> e.created() == null ? Instant.EPOCH : e.created())
            .thenComparing(Entry::name)
            .reversed());
    List<Deletion> out = new ArrayList<>();
    for (int i = Math.max(0, limit); i < newestFirst.size(); i++) {
      out.add(new Deletion(newestFirst.get(i).name(), false, "beyond " + field + " " + limit));
    }
    return out;
  }

  /**
   * Parses {@code 7d}, {@code 36h}, {@code 1d12h30m}; null for null; throws
   * IllegalArgumentException otherwise.
   */
  public static Duration parseRetention(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Matcher m = DURATION_PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException(
            "spec.retention '" + text + "' is not like 7d, 36h or 1d12h");
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              });
      end = m.end();
    }
    if (end != text.length() || end == 0) {
      throw new IllegalArgumentException(
          "spec.retention '" + text + "' is not like 7d, 36h or 1d12h");
    }
    return total;
  }
}
