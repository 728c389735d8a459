package io.redisoperator.bench.scale;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a JVM's CPU went, by kind of thread: the {@code cpu=} of each thread in {@code jcmd
 * Thread.print} (the full thread names, which /proc cuts to 15 characters), summed over the threads
 * whose names differ only by their numbers (a pool's). Pure.
 */
final class ThreadCpu {
  private static final Pattern THREAD =
      Pattern.compile("^\"(.+?)\"[^\\n]*? cpu=([0-9.]+)(ms|s)", Pattern.MULTILINE);

  private ThreadCpu() {}

  /** CPU seconds by thread group, largest first. */
  static Map<String, Double> byGroup(String threadDump) {
    Map<String, Double> sums = new TreeMap<>();
    Matcher m = THREAD.matcher(threadDump);
    while (m.find()) {
      double value = Double.parseDouble(m.group(2));
      double seconds = m.group(3).equals("ms") ? value / 1000 : value;
      sums.merge(group(m.group(1)), seconds, Double::sum);
    }
    return sums.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  /** The name without its numbers: a pool's threads fall into one group. */
  static String group(String threadName) {
    return threadName.replaceAll("[0-9]+", "#");
  }

  /** "group=1.23s, ..." for the log, the groups above {@code minSeconds}. */
  static String format(Map<String, Double> byGroup, double minSeconds) {
    return byGroup.entrySet().stream()
        .filter(e -> e.getValue() >= minSeconds)
        .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.2fs", e.getValue()))
        .collect(Collectors.joining(", "));
  }
}
