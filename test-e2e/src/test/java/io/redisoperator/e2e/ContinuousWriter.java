package io.redisoperator.e2e;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Writes {@code <prefix><n> = v<n>} as a client application would: one connection, a new one after
 * any error (a new connection is what reaches the new primary, through the -leader Service or by
 * asking Sentinel again). Records every acknowledged write with its time.
 */
final class ContinuousWriter implements AutoCloseable {
  private static final long WAIT_MILLIS = 200;
  private final Supplier<StatefulRedisConnection<String, String>> connect;
  private final String prefix;
  private final int replicasToWaitFor;
  private final Thread thread;
  private final Map<String, String> acked = new ConcurrentHashMap<>();
  private final List<Long> ackTimes = new ArrayList<>();
  private volatile boolean running = true;
  private volatile String lastError;
  private volatile long attempts;
  private volatile long connections;

  /** Writes through the cluster's -leader Service; a write counts once the primary answers OK. */
  ContinuousWriter(RedisClusterFixture cluster, String prefix) {
    this(() -> cluster.connect(cluster.leader()), prefix, 0, "continuous-writer");
  }

  /**
   * Writes to the primary Sentinel names, as a Sentinel-aware application does. A write counts only
   * once {@code WAIT 1} confirms a replica has it: the guarantee under which "no acknowledged write
   * lost" is a promise the operator makes for every fault, a partition included.
   */
  static ContinuousWriter throughSentinel(SentinelAccess sentinels, String prefix) {
    return new ContinuousWriter(sentinels::connectToMaster, prefix, 1, "sentinel-writer");
  }

  private ContinuousWriter(
      Supplier<StatefulRedisConnection<String, String>> connect,
      String prefix,
      int replicasToWaitFor,
      String name) {
    this.connect = connect;
    this.prefix = prefix;
    this.replicasToWaitFor = replicasToWaitFor;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  ContinuousWriter start() {
    thread.start();
    return this;
  }

  private void run() {
    StatefulRedisConnection<String, String> connection = null;
    long n = 0;
    while (running) {
      try {
        if (connection == null) {
          connection = connect.get();
          connections++;
        }
        String key = prefix + n;
        String value = "v" + n;
        attempts++;
        if ("OK".equals(connection.sync().set(key, value)) && replicated(connection)) {
          acked.put(key, value);
          synchronized (ackTimes) {
            ackTimes.add(System.nanoTime());
          }
          n++;
        }
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        lastError = e.getMessage();
        if (connection != null) {
          connection.closeAsync();
          connection = null;
        }
        n++;
        sleepQuietly(50);
      }
    }
    if (connection != null) {
      connection.close();
    }
  }

  private boolean replicated(StatefulRedisConnection<String, String> connection) {
    return replicasToWaitFor == 0
        || connection.sync().waitForReplication(replicasToWaitFor, WAIT_MILLIS)
            >= replicasToWaitFor;
  }

  /** Longest time without an acknowledged write from {@code sinceNanos} until now. */
  long maxGapMillisSince(long sinceNanos) {
    long previous = sinceNanos;
    long max = 0;
    synchronized (ackTimes) {
      for (long t : ackTimes) {
        if (t < sinceNanos) {
          continue;
        }
        max = Math.max(max, t - previous);
        previous = t;
      }
    }
    max = Math.max(max, System.nanoTime() - previous);
    return max / 1_000_000;
  }

  boolean ackedSince(long sinceNanos) {
    synchronized (ackTimes) {
      return !ackTimes.isEmpty() && ackTimes.get(ackTimes.size() - 1) > sinceNanos;
    }
  }

  int ackedCount() {
    return acked.size();
  }

  Map<String, String> acked() {
    return Map.copyOf(acked);
  }

  String lastError() {
    return lastError;
  }

  long attempts() {
    return attempts;
  }

  /**
   * How many connections the writer opened (with Sentinel: how many times it asked for the
   * primary).
   */
  long connections() {
    return connections;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
