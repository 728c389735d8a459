package io.redisoperator.e2e;

import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tries a write on one pod's own address every 10 ms, whatever the Services say, and remembers when
 * writes were acknowledged: the split-brain check of the scenarios (two nodes taking writes at
 * once) reads these times.
 */
final class PodWriteProbe implements AutoCloseable {
  private final RedisClusterFixture cluster;
  private final InetSocketAddress address;
  private final String pod;
  private final String password;
  private final AtomicLong firstAckNanos = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastAckNanos = new AtomicLong(Long.MIN_VALUE);
  private final Thread thread;
  private volatile boolean running = true;

  PodWriteProbe(RedisClusterFixture cluster, InetSocketAddress address, String pod) {
    this.cluster = cluster;
    this.address = address;
    this.pod = pod;
    this.password = cluster.password();
    this.thread = new Thread(this::run, "probe-" + pod);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    StatefulRedisConnection<String, String> connection = null;
    long n = 0;
    while (running) {
      try {
        if (connection == null) {
          connection = cluster.connect(address, password);
          connection.setTimeout(Duration.ofMillis(500));
        }
        if ("OK".equals(connection.sync().set("probe:" + pod + ":" + n++, "x"))) {
          long now = System.nanoTime();
          firstAckNanos.compareAndSet(Long.MAX_VALUE, now);
          lastAckNanos.set(now);
        }
      } catch (RuntimeException e) {
        if (connection != null) {
          connection.closeAsync();
          connection = null;
        }
      }
      ScenarioIT.sleep(10);
    }
    if (connection != null) {
      connection.closeAsync();
    }
  }

  /** System.nanoTime of the first acknowledged write, Long.MAX_VALUE if none. */
  long firstAckNanos() {
    return firstAckNanos.get();
  }

  /** System.nanoTime of the latest acknowledged write, Long.MIN_VALUE if none. */
  long lastAckNanos() {
    return lastAckNanos.get();
  }

  String pod() {
    return pod;
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
