package io.redisoperator.sandbox.bench;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A stale client on every node: each pod address gets a probe that tries a write every {@value #PERIOD_MILLIS} ms
 * and records when the node accepted it. Two nodes accepting probe writes at the same time is split brain, whatever
 * the Services say.
 */
final class Probes implements AutoCloseable {
  private static final long PERIOD_MILLIS = 10;

  private final RedisLinks links;
  private final WriteLog log;
  private final boolean durability;
  private final Supplier<Set<String>> addresses;
  private final Map<String, Thread> probes = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private final Thread watcher;

  Probes(RedisLinks links, WriteLog log, boolean durability, Supplier<Set<String>> addresses) {
    this.links = links;
    this.log = log;
    this.durability = durability;
    this.addresses = addresses;
    this.watcher = new Thread(this::follow, "bench-probes");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** One probe per current pod address; a probe ends when its address is gone. */
  private void follow() {
    while (running) {
      Set<String> current = addresses.get();
      for (String ip : current) {
        if (!probes.containsKey(ip)) {
          Thread thread = new Thread(() -> probe(ip), "bench-probe-" + ip);
          thread.setDaemon(true);
          probes.put(ip, thread);
          thread.start();
        }
      }
      probes.keySet().removeIf(ip -> !current.contains(ip));
      BenchController.sleep(20);
    }
  }

  private void probe(String ip) {
    StatefulRedisConnection<String, String> connection = null;
    String key = "bench:probe:" + ip;
    while (running && probes.containsKey(ip)) {
      try {
        if (connection == null || !connection.isOpen()) {
          connection = links.connect(ip);
        }
        connection.sync().set(key, Long.toString(System.nanoTime()));
        if (!durability || connection.sync().waitForReplication(1, 100) >= 1) {
          log.accepted(System.nanoTime(), ip);
        }
      } catch (RedisException e) {
        if (connection != null) {
          connection.closeAsync();
          connection = null;
        }
        BenchController.sleep(20);
      }
      BenchController.sleep(PERIOD_MILLIS);
    }
    if (connection != null) {
      connection.closeAsync();
    }
  }

  @Override
  public void close() {
    running = false;
    probes.clear();
  }
}
