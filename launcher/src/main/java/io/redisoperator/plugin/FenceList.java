package io.redisoperator.plugin;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Pure: edits the value of the {@code redis.io/fenced-instances} annotation (a comma-separated or
 * JSON list of pod names, or {@code *}) the way the operator reads it. Null means "remove the
 * annotation".
 */
final class FenceList {
  static final String ALL = "*";

  private FenceList() {}

  static String fence(String current, String pod) {
    if (ALL.equals(pod)) {
      return ALL;
    }
    TreeSet<String> pods = parse(current);
    if (pods.contains(ALL)) {
      return ALL;
    }
    pods.add(pod);
    return format(pods);
  }

  /**
   * Unfencing one pod while {@code *} is in force is refused: it would mean listing every other pod
   * by hand.
   */
  static String unfence(String current, String pod) {
    if (ALL.equals(pod)) {
      return null;
    }
    TreeSet<String> pods = parse(current);
    if (pods.contains(ALL)) {
      throw new IllegalArgumentException(
          "every instance is fenced ('*'): unfence '*' first, then fence the others");
    }
    pods.remove(pod);
    return pods.isEmpty() ? null : format(pods);
  }

  static TreeSet<String> parse(String value) {
    TreeSet<String> out = new TreeSet<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    String v = value.trim();
    if (v.startsWith("[")) {
      v = v.substring(1, v.endsWith("]") ? v.length() - 1 : v.length());
    }
    Arrays.stream(v.split(","))
        .map(s -> s.trim().replace("\"", ""))
        .filter(s -> !s.isEmpty())
        .forEach(out::add);
    return out;
  }

  private static String format(TreeSet<String> pods) {
    return pods.size() == 1
        ? pods.first()
        : pods.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  static List<String> list(String value) {
    return List.copyOf(parse(value));
  }
}
