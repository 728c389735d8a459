package io.redisoperator.e2e;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes {@code w:<n> = v<n>} through the -leader Service as a client application would: one connection, a new one
 * after any error (a new connection is what the Service routes to the new primary). Records every acknowledged write
 * with its time.
 */
final class ContinuousWriter implements AutoCloseable {
  private final RedisClusterFixture cluster;
  private final String prefix;
  private final Thread thread;
  private final Map<String, String> acked = new ConcurrentHashMap<>();
  private final List<Long> ackTimes = new ArrayList<>();
  private volatile boolean running = true;
  private volatile String lastError;
  private long attempts;

  ContinuousWriter(RedisClusterFixture cluster, String prefix) {
    this.cluster = cluster;
    this.prefix = prefix;
    this.thread = new Thread(this::run, "continuous-writer");
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
          connection = cluster.connect(cluster.leader());
        }
        String key = prefix + n;
        String value = "v" + n;
        attempts++;
        if ("OK".equals(connection.sync().set(key, value))) {
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

  Map<String, String> acked() {
    return Map.copyOf(acked);
  }

  String lastError() {
    return lastError;
  }

  long attempts() {
    return attempts;
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
