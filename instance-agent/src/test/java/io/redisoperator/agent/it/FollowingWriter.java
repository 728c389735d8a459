package io.redisoperator.agent.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client behind the {@code -leader} Service during a handoff: on its own thread it writes keys
 * {@code w0}, {@code w1}, ... to whichever of two nodes accepts them (the other one on a refusal),
 * and records each acknowledged key and the longest wait between two acknowledgements.
 */
final class FollowingWriter implements AutoCloseable {
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;
  private volatile long longestWaitNanos;

  private FollowingWriter(AgentHarness.Node first, AgentHarness.Node second) {
    thread = new Thread(() -> write(first, second), "following-writer");
  }

  static FollowingWriter start(AgentHarness.Node first, AgentHarness.Node second) {
    FollowingWriter writer = new FollowingWriter(first, second);
    writer.thread.start();
    return writer;
  }

  private void write(AgentHarness.Node first, AgentHarness.Node second) {
    try (RedisConnection a = first.redis();
        RedisConnection b = second.redis()) {
      RedisConnection target = a;
      long lastAck = System.nanoTime();
      for (int i = 0; !stop.get(); i++) {
        String key = "w" + i;
        if (target.trySet(key, "x") == null) {
          long now = System.nanoTime();
          acked.add(key);
          longestWaitNanos = Math.max(longestWaitNanos, now - lastAck);
          lastAck = now;
        } else {
          target = target == a ? b : a;
        }
      }
    }
  }

  int ackedCount() {
    return acked.size();
  }

  /** The keys acknowledged so far. */
  List<String> acked() {
    return new ArrayList<>(acked);
  }

  long longestWaitMillis() {
    return longestWaitNanos / 1_000_000;
  }

  /** Stops writing and waits for the thread's last write. */
  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join();
  }
}
