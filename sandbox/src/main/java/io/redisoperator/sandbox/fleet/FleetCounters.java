package io.redisoperator.sandbox.fleet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What the fleet served: status requests and operations in total, its pod status writes, and since
 * a mark, which pods have been asked for their status and when first (how long a restarted
 * controller takes to see every pod again).
 */
public final class FleetCounters {
  private final LongSupplier millis;
  private final AtomicLong statusRequests = new AtomicLong();
  private final AtomicLong operations = new AtomicLong();
  private final AtomicLong statusWrites = new AtomicLong();
  private final AtomicLong statusRestores = new AtomicLong();
  private final AtomicLong statusConflicts = new AtomicLong();
  private volatile long markMillis;
  private volatile Map<String, Long> firstSeenSinceMark = new ConcurrentHashMap<>();

  public FleetCounters(LongSupplier millis) {
    this.millis = millis;
    this.markMillis = millis.getAsLong();
  }

  void statusServed(String pod) {
    statusRequests.incrementAndGet();
    firstSeenSinceMark.putIfAbsent(pod, millis.getAsLong());
  }

  void operationServed() {
    operations.incrementAndGet();
  }

  void statusWritten() {
    statusWrites.incrementAndGet();
  }

  void statusRestored() {
    statusRestores.incrementAndGet();
  }

  void statusConflict() {
    statusConflicts.incrementAndGet();
  }

  /** Served pods' first status writes. */
  public long statusWrites() {
    return statusWrites.get();
  }

  /** Statuses written back after another writer changed what the fleet owns. */
  public long statusRestores() {
    return statusRestores.get();
  }

  /** Writes back refused because the pod had changed since the version they were built from. */
  public long statusConflicts() {
    return statusConflicts.get();
  }

  /** Starts a new observation: no pod has been seen since now. */
  void mark() {
    markMillis = millis.getAsLong();
    firstSeenSinceMark = new ConcurrentHashMap<>();
  }

  public long statusRequests() {
    return statusRequests.get();
  }

  public long operations() {
    return operations.get();
  }

  int seenSinceMark() {
    return firstSeenSinceMark.size();
  }

  /** Milliseconds from the mark to the last first-sighting (0 when none). */
  long lastFirstSeenAfterMarkMillis() {
    return firstSeenSinceMark.values().stream().mapToLong(t -> t - markMillis).max().orElse(0);
  }
}
