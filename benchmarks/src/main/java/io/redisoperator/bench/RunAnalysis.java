package io.redisoperator.bench;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of one run, computed from the write log. */
final class RunAnalysis {
  /**
   * Probe successes closer than this belong to one stretch of accepting writes (probes run every 10
   * ms).
   */
  static final long SAME_STRETCH_NANOS = 100_000_000L;

  private RunAnalysis() {}

  /**
   * The longest time without an acknowledged write in [from, to] (the whole window when there is
   * none). Callers pass the writes that survived: an acknowledgement from a cut-off primary that
   * the failover then discarded was not a successful write.
   */
  static long maxGapMillis(List<WriteLog.Ack> acks, long from, long to) {
    long previous = from;
    long longest = 0;
    for (WriteLog.Ack ack :
        acks.stream().sorted(Comparator.comparingLong(WriteLog.Ack::nanos)).toList()) {
      if (ack.nanos() < from || ack.nanos() > to) {
        continue;
      }
      longest = Math.max(longest, ack.nanos() - previous);
      previous = ack.nanos();
    }
    longest = Math.max(longest, to - previous);
    return longest / 1_000_000;
  }

  /**
   * How long at least two nodes were accepting writes at once: each node's acceptances in [from,
   * to] are merged into stretches, and the time covered by two or more stretches of different nodes
   * is summed.
   */
  static long splitBrainMillis(List<WriteLog.Accepted> accepted, long from, long to) {
    List<long[]> edges = new ArrayList<>();
    for (List<long[]> nodeStretches : stretches(accepted, from, to).values()) {
      for (long[] stretch : nodeStretches) {
        edges.add(new long[] {stretch[0], 1});
        edges.add(new long[] {stretch[1], -1});
      }
    }
    edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> -e[1]));
    long overlap = 0;
    int open = 0;
    long since = 0;
    for (long[] edge : edges) {
      if (open >= 2) {
        overlap += edge[0] - since;
      }
      open += (int) edge[1];
      since = edge[0];
    }
    return overlap / 1_000_000;
  }

  /** Per node, the stretches [first, last] (nanos) during which it kept accepting writes. */
  static Map<String, List<long[]>> stretches(List<WriteLog.Accepted> accepted, long from, long to) {
    Map<String, List<Long>> byNode =
        accepted.stream()
            .filter(a -> a.nanos() >= from && a.nanos() <= to)
            .collect(
                Collectors.groupingBy(
                    WriteLog.Accepted::node,
                    Collectors.mapping(WriteLog.Accepted::nanos, Collectors.toList())));
    Map<String, List<long[]>> result = new java.util.TreeMap<>();
    byNode.forEach(
        (node, times) -> {
          times.sort(Long::compare);
          List<long[]> list = new ArrayList<>();
          long start = times.get(0);
          long end = start;
          for (long t : times) {
            if (t - end > SAME_STRETCH_NANOS) {
              list.add(new long[] {start, end});
              start = t;
            }
            end = t;
          }
          list.add(new long[] {start, end});
          result.put(node, list);
        });
    return result;
  }

  /** The stretches relative to {@code origin}, in ms, for the run log. */
  static String describeStretches(
      List<WriteLog.Accepted> accepted, long from, long to, long origin) {
    StringBuilder text = new StringBuilder();
    stretches(accepted, from, to)
        .forEach(
            (node, list) -> {
              text.append(node).append(":");
              for (long[] stretch : list) {
                text.append(" [")
                    .append((stretch[0] - origin) / 1_000_000)
                    .append(",")
                    .append((stretch[1] - origin) / 1_000_000)
                    .append("]");
              }
              text.append("; ");
            });
    return text.toString();
  }

  /** The acknowledged writes the primary does not have (missing or with another value). */
  static List<WriteLog.Ack> lost(
      List<WriteLog.Ack> acks, StatefulRedisConnection<String, String> primary) {
    List<WriteLog.Ack> lost = new ArrayList<>();
    for (int from = 0; from < acks.size(); from += 500) {
      List<WriteLog.Ack> batch = acks.subList(from, Math.min(acks.size(), from + 500));
      List<KeyValue<String, String>> values =
          primary.sync().mget(batch.stream().map(WriteLog.Ack::key).toArray(String[]::new));
      for (int i = 0; i < batch.size(); i++) {
        KeyValue<String, String> value = values.get(i);
        if (!value.hasValue() || !value.getValue().equals(batch.get(i).value())) {
          lost.add(batch.get(i));
        }
      }
    }
    return lost;
  }

  /**
   * How long the writer would have had to write at its acknowledged rate to lose {@code lost}
   * writes: the rate is the writer's acknowledgements in [from, fault) (the calm before the fault),
   * the result in ms; 0 when nothing was lost.
   */
  static long lossWindowMillis(long lost, List<WriteLog.Ack> acks, long from, long fault) {
    if (lost == 0) {
      return 0;
    }
    long before = acks.stream().filter(a -> a.nanos() >= from && a.nanos() < fault).count();
    double perMilli = before / ((fault - from) / 1e6);
    return perMilli <= 0 ? -1 : Math.round(lost / perMilli);
  }

  /** Nearest-rank percentile of a non-empty list. */
  static long percentile(List<Long> values, double p) {
    List<Long> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
