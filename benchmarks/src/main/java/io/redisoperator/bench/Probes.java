package io.redisoperator.bench;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.agent.AgentApi;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A stale client on every node: each pod address (from the pods' status) gets a probe that tries a
 * write every {@value #PERIOD_MILLIS} ms and records when the node accepted it. Two nodes accepting
 * probe writes at the same time is split brain, whatever the Services say.
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
      Polling.sleep(20);
    }
  }

  private void probe(String ip) {
    StatefulRedisConnection<String, String> connection = null;
    String key = "bench:probe:" + ip;
    while (running && probes.containsKey(ip)) {
      try {
        if (connection == null || !connection.isOpen()) {
          connection = links.connect(new InetSocketAddress(ip, AgentApi.REDIS_PORT));
        }
        connection.sync().set(key, Long.toString(System.nanoTime()));
        if (!durability || connection.sync().waitForReplication(1, 100) >= 1) {
          log.accepted(System.nanoTime(), ip);
        }
      } catch (RedisCommandExecutionException e) {
        // The node answered with an error (a replica, a fenced primary): it refused the write, the
        // link is fine.
        Polling.sleep(20);
      } catch (RedisException e) {
        if (connection != null) {
          connection.closeAsync();
          connection = null;
        }
        Polling.sleep(20);
      }
      Polling.sleep(PERIOD_MILLIS);
    }
    if (connection != null) {
      connection.closeAsync();
    }
  }

  /**
   * Stops the probes and waits for them, so none still uses a connection when the client shuts
   * down.
   */
  @Override
  public void close() {
    running = false;
    List<Thread> threads = new ArrayList<>(probes.values());
    threads.add(watcher);
    probes.clear();
    for (Thread thread : threads) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
