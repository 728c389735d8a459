package io.redisoperator.sandbox.bench;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.locks.LockSupport;

/**
 * The application: writes {@code <run>:<seq>} keys to wherever the {@code -leader} Service would send it (the
 * recorded primary, nothing while the role label is off during a failover), one every {@value #PERIOD_MICROS} µs,
 * and records each acknowledged write with the replication id it landed on. With the durability option a write
 * counts as acknowledged only when {@code WAIT 1} confirms a replica has it.
 */
final class Writer implements Runnable {
  private static final long PERIOD_MICROS = 2000;
  private static final long REPLID_REFRESH_NANOS = 250_000_000L;

  private final RedisLinks links;
  private final WriteLog log;
  private final boolean durability;
  private volatile String target;
  private volatile String run = "warmup";
  private volatile boolean running = true;
  private StatefulRedisConnection<String, String> connection;
  private String connectedTo;
  private String replId;
  private long replIdAt;
  private long seq;

  Writer(RedisLinks links, WriteLog log, boolean durability) {
    this.links = links;
    this.log = log;
    this.durability = durability;
  }

  /** Where the leader Service points now (null: no endpoint). */
  void target(String ip) {
    target = ip;
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
      String ip = target;
      if (ip == null) {
        disconnect();
      } else if (connect(ip)) {
        writeOnce();
      }
      LockSupport.parkNanos(Math.max(0, PERIOD_MICROS * 1000 - (System.nanoTime() - started)));
    }
    disconnect();
  }

  private boolean connect(String ip) {
    if (connection != null && ip.equals(connectedTo) && connection.isOpen()) {
      return true;
    }
    disconnect();
    try {
      connection = links.connect(ip);
      connectedTo = ip;
      replId = RedisLinks.replId(connection);
      replIdAt = System.nanoTime();
      return true;
    } catch (RedisException e) {
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
      log.ack(acknowledged, connectedTo, replId, key, value);
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
      connectedTo = null;
    }
  }
}
