package io.redisoperator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every acknowledged write of the writer (key, value, the node and the {@code master_replid} it
 * landed on) and every write a node accepted from a probe, stamped with the monotonic clock when
 * the acknowledgement arrived.
 */
final class WriteLog {
  /** A write the writer got acknowledged. */
  record Ack(long nanos, String node, String replId, String key, String value) {}

  /** A node accepted a write at {@code nanos} (writer or probe). */
  record Accepted(long nanos, String node) {}

  private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
  private volatile Ack latest;

  void ack(long nanos, String node, String replId, String key, String value) {
    Ack ack = new Ack(nanos, node, replId, key, value);
    latest = ack;
    acks.add(ack);
    accepted.add(new Accepted(nanos, node));
  }

  void accepted(long nanos, String node) {
    accepted.add(new Accepted(nanos, node));
  }

  /** The most recent acknowledged write (kept by {@link #drain()}). */
  Optional<Ack> latest() {
    return Optional.ofNullable(latest);
  }

  /** Everything recorded so far, removed from the log. */
  Snapshot drain() {
    List<Ack> a = new ArrayList<>();
    for (Ack ack; (ack = acks.poll()) != null; ) {
      a.add(ack);
    }
    List<Accepted> w = new ArrayList<>();
    for (Accepted write; (write = accepted.poll()) != null; ) {
      w.add(write);
    }
    return new Snapshot(a, w);
  }

  record Snapshot(List<Ack> acks, List<Accepted> accepted) {}
}
