package io.redisoperator.e2e;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.KeyValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.crd.RedisCluster;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The invariants every scenario checks after its fault, each returning what is violated (empty:
 * holds).
 */
final class Invariants {
  private Invariants() {}

  /**
   * Exactly one primary, by pod label, by INFO replication and by status.currentPrimary, all naming
   * the same pod; every other instance replicates from it with its link up. Retried for {@code
   * settle}: labels follow roles.
   */
  static List<String> singleAgreedPrimary(RedisClusterFixture cluster, Duration settle) {
    return eventually(
        settle,
        () -> {
          List<String> problems = new ArrayList<>();
          RedisCluster status = cluster.get();
          String current =
              status.getStatus() == null ? null : status.getStatus().getCurrentPrimary();
          List<String> labelled = cluster.podsLabelledPrimary();
          if (labelled.size() != 1) {
            problems.add("pods labelled primary: " + labelled);
          } else if (!labelled.get(0).equals(current)) {
            problems.add(
                "label says " + labelled.get(0) + ", status.currentPrimary says " + current);
          }
          String primaryIp = current == null ? null : cluster.podIp(current);
          List<String> masters = new ArrayList<>();
          for (String pod : cluster.pods().keySet()) {
            try {
              Map<String, String> info = cluster.infoReplication(pod);
              if ("master".equals(info.get("role"))) {
                masters.add(pod);
              } else if (!"up".equals(info.get("master_link_status"))
                  || primaryIp != null && !primaryIp.equals(info.get("master_host"))) {
                problems.add(
                    pod
                        + " replicates from "
                        + info.get("master_host")
                        + " link "
                        + info.get("master_link_status"));
              }
            } catch (RuntimeException e) {
              problems.add(pod + ": INFO failed: " + e.getMessage());
            }
          }
          if (masters.size() != 1 || !masters.get(0).equals(current)) {
            problems.add("INFO role:master on " + masters + ", status.currentPrimary " + current);
          }
          return problems;
        });
  }

  /**
   * Every key in {@code expected} reads back with its value through -leader; returns how many are
   * missing.
   */
  static long missingKeys(RedisClusterFixture cluster, Map<String, String> expected) {
    List<String> keys = new ArrayList<>(expected.keySet());
    long missing = 0;
    try (StatefulRedisConnection<String, String> c = cluster.connect(cluster.leader())) {
      for (int i = 0; i < keys.size(); i += 500) {
        List<String> batch = keys.subList(i, Math.min(keys.size(), i + 500));
        for (KeyValue<String, String> kv : c.sync().mget(batch.toArray(String[]::new))) {
          if (!kv.hasValue() || !kv.getValue().equals(expected.get(kv.getKey()))) {
            missing++;
          }
        }
      }
    }
    return missing;
  }

  /** WAIT on the primary (through -leader): every replica acknowledges the primary's offset. */
  static List<String> replicasConverge(RedisClusterFixture cluster, int replicas) {
    return eventually(
        Duration.ofSeconds(30),
        () -> {
          try (StatefulRedisConnection<String, String> c = cluster.connect(cluster.leader())) {
            c.sync().set("converge-probe", String.valueOf(System.nanoTime()));
            long acked = c.sync().waitForReplication(replicas, 5000);
            return acked >= replicas
                ? List.of()
                : List.of("WAIT " + replicas + " answered " + acked);
          } catch (RuntimeException e) {
            return List.of("WAIT failed: " + e.getMessage());
          }
        });
  }

  /**
   * The primary's replication offset is at least what the old primary had replicated before the
   * fault. Offsets are only comparable within one replication history (the pre-fault id as the
   * primary's {@code master_replid}, or as its {@code master_replid2} after a promotion). A cold
   * restart of every instance (hibernation) legitimately starts a new history at offset 0, because
   * Redis does not restore a primary's replication id from its AOF; only then, and only when the
   * scenario says such a restart is expected, the comparison does not apply and the key checks
   * carry the data invariant alone.
   */
  static List<String> offsetNotRegressed(
      RedisClusterFixture cluster, String beforeReplId, long before, boolean coldRestartExpected) {
    RedisCluster status = cluster.get();
    Map<String, String> info = cluster.infoReplication(status.getStatus().getCurrentPrimary());
    boolean sameHistory =
        beforeReplId.equals(info.get("master_replid"))
            || beforeReplId.equals(info.get("master_replid2"));
    if (!sameHistory && coldRestartExpected) {
      return List.of();
    }
    long now = Long.parseLong(info.getOrDefault("master_repl_offset", "-1"));
    return now >= before
        ? List.of()
        : List.of("primary offset " + now + " < pre-fault offset " + before);
  }

  /**
   * A write sent straight to an isolated or demoted old primary, by a client the partition does not
   * cut (the test process), is refused by Redis itself: READONLY (a replica) or NOREPLICAS (the
   * fence). Not reaching it at all, or any other error, proves nothing and is a problem: the check
   * must see the refusal.
   */
  static List<String> refusesWrites(RedisClusterFixture cluster, InetSocketAddress oldPrimary) {
    StatefulRedisConnection<String, String> c;
    try {
      c = cluster.connect(oldPrimary);
    } catch (RuntimeException e) {
      return List.of(
          "old primary "
              + oldPrimary
              + " could not be reached to see it refuse writes: "
              + e.getMessage());
    }
    try (c) {
      String reply = c.sync().set("split-brain-probe", "x");
      return "OK".equals(reply)
          ? List.of("old primary " + oldPrimary + " accepted a write")
          : List.of();
    } catch (io.lettuce.core.RedisCommandExecutionException e) {
      String message = String.valueOf(e.getMessage());
      return message.startsWith("READONLY") || message.startsWith("NOREPLICAS")
          ? List.of()
          : List.of(
              "old primary " + oldPrimary + " failed a write without refusing it: " + message);
    } catch (RuntimeException e) {
      return List.of("old primary " + oldPrimary + " did not answer a write: " + e.getMessage());
    }
  }

  /**
   * The check's problems once it finds none, or the problems it still finds when the time is up.
   */
  static List<String> eventually(Duration timeout, Supplier<List<String>> check) {
    List<List<String>> last = new java.util.ArrayList<>(List.of(List.of()));
    try {
      await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                last.set(0, check.get());
                return last.get(0).isEmpty();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // reported through the problems below
    }
    return last.get(0);
  }
}
