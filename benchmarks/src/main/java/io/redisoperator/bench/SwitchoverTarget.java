package io.redisoperator.bench;

import io.redisoperator.protocol.naming.ResourceNames;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The replica a planned switchover goes to: the most caught-up one, ties (and unknown offsets) by
 * lowest ordinal.
 */
final class SwitchoverTarget {
  private SwitchoverTarget() {}

  /**
   * @param offsets replica pod name to its replication offset ({@code slave_repl_offset}); -1 when
   *     unknown
   */
  static Optional<String> choose(String cluster, Map<String, Long> offsets) {
    Comparator<Map.Entry<String, Long>> mostCaughtUp =
        Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
            .reversed()
            .thenComparingInt(
                e -> ResourceNames.ordinalOf(cluster, e.getKey()).orElse(Integer.MAX_VALUE));
    return offsets.entrySet().stream().sorted(mostCaughtUp).map(Map.Entry::getKey).findFirst();
  }
}
