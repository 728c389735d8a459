package io.redisoperator.bench;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The application: writes {@code <run>:<seq>} keys, one every {@value #PERIOD_MICROS} µs, on one
 * connection and a new one after any error, opened by the connector: through the {@code -leader}
 * Service (which routes a new connection to the current primary; an established one stays where it
 * was) or to the primary Sentinel names at that moment. Each acknowledged write is recorded with
 * the node that took it and the {@code master_replid} it landed on. With the durability option a
 * write counts as acknowledged only when {@code WAIT 1} confirms a replica has it.
 */
final class Writer implements Runnable {
  private static final long PERIOD_MICROS = 2000;

  /** Pause after a failed connection: the Service may have no endpoint for a while. */
  private static final long RETRY_MICROS = 10_000;

  private static final long REPLID_REFRESH_NANOS = 250_000_000L;

  private final WriteLog log;
  private final boolean durability;
  private final Supplier<StatefulRedisConnection<String, String>> connector;
  private volatile String run = "warmup";
  private volatile boolean running = true;
  private StatefulRedisConnection<String, String> connection;
  private String node;
  private String replId;
  private long replIdAt;
  private long seq;

  Writer(
      WriteLog log,
      boolean durability,
      Supplier<StatefulRedisConnection<String, String>> connector) {
    this.log = log;
    this.durability = durability;
    this.connector = connector;
  }

  /** Keys of the following writes start with this. */
  void run(String name) {
    run = name;
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    while (running) {
      long started = System.nanoTime();
      long period = PERIOD_MICROS;
      if (connect()) {
        writeOnce();
      } else {
        period = RETRY_MICROS;
      }
      LockSupport.parkNanos(Math.max(0, period * 1000 - (System.nanoTime() - started)));
    }
    disconnect();
  }

  private boolean connect() {
    if (connection != null && connection.isOpen()) {
      return true;
    }
    disconnect();
    try {
      connection = connector.get();
      node = RedisLinks.nodeIp(connection);
      replId = RedisLinks.replId(connection);
      replIdAt = System.nanoTime();
      return true;
    } catch (RedisException | IllegalStateException e) {
      disconnect();
      return false;
    }
  }

  private void writeOnce() {
    String key = run + ":" + (++seq);
    String value = Long.toString(seq);
    try {
      connection.sync().set(key, value);
      if (durability && connection.sync().waitForReplication(1, 200) < 1) {
        return;
      }
      long acknowledged = System.nanoTime();
      log.ack(acknowledged, node, replId, key, value);
      if (acknowledged - replIdAt > REPLID_REFRESH_NANOS) {
        replId = RedisLinks.replId(connection);
        replIdAt = acknowledged;
      }
    } catch (RedisException e) {
      disconnect();
    }
  }

  private void disconnect() {
    if (connection != null) {
      connection.closeAsync();
      connection = null;
      node = null;
    }
  }
}
