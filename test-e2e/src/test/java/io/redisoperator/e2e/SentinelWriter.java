package io.redisoperator.e2e;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes {@code <prefix><n> = v<n>} to the primary Sentinel names, as a Sentinel-aware application does: one
 * connection, and after any error a new one, for which the client asks Sentinel again. A write counts as acknowledged
 * only once {@code WAIT 1} confirms a replica has it (the guarantee under which "no acknowledged write lost" is a
 * promise the operator makes for every fault, a partition included).
 */
final class SentinelWriter implements AutoCloseable {
  private static final long WAIT_MILLIS = 200;
  private final SentinelAccess access;
  private final String prefix;
  private final Thread thread;
  private final Map<String, String> acked = new ConcurrentHashMap<>();
  private final List<Long> ackTimes = new ArrayList<>();
  private volatile boolean running = true;
  private volatile String lastError;
  private volatile long discoveries;

  SentinelWriter(SentinelAccess access, String prefix) {
    this.access = access;
    this.prefix = prefix;
    this.thread = new Thread(this::run, "sentinel-writer");
    thread.setDaemon(true);
  }

  SentinelWriter start() {
    thread.start();
    return this;
  }

  private void run() {
    StatefulRedisConnection<String, String> connection = null;
    long n = 0;
    while (running) {
      try {
        if (connection == null) {
          connection = access.connectToMaster();
          discoveries++;
        }
        String key = prefix + n;
        String value = "v" + n;
        n++;
        if ("OK".equals(connection.sync().set(key, value)) && connection.sync().waitForReplication(1, WAIT_MILLIS) >= 1) {
          acked.put(key, value);
          synchronized (ackTimes) {
            ackTimes.add(System.nanoTime());
          }
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
        sleepQuietly(50);
      }
    }
    if (connection != null) {
      connection.close();
    }
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

  /** How many times the writer asked Sentinel for the primary. */
  long discoveries() {
    return discoveries;
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
