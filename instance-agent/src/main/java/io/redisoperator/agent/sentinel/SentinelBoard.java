package io.redisoperator.agent.sentinel;

import io.redisoperator.agent.config.Endpoint;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the follower last learned, read by the probes and /metrics without touching Sentinel or the
 * API server.
 */
public final class SentinelBoard {
  private final Clock clock;
  private final AtomicLong repoints = new AtomicLong();
  private final AtomicLong authUpdates = new AtomicLong();
  private volatile Endpoint recorded;
  private volatile Endpoint monitored;
  private final AtomicLong staleResets = new AtomicLong();
  private volatile long lastAnswerMillis = -1;
  private volatile long lastStaleResetMillis = -1;
  private volatile int staleEntries;

  public SentinelBoard(Clock clock) {
    this.clock = clock;
  }

  /**
   * Sentinel answered; {@code monitored} is what it reports for the cluster (null: monitors
   * nothing).
   */
  public void recordAnswer(Endpoint monitored) {
    this.monitored = monitored;
    this.lastAnswerMillis = clock.millis();
  }

  /** The address of the primary recorded in the RedisCluster status, when known. */
  public void recordRecorded(Endpoint recorded) {
    this.recorded = recorded;
  }

  public void recordRepoint() {
    repoints.incrementAndGet();
  }

  /** How many stale entries the last check found (they stay until a reset is allowed). */
  public void recordStaleEntries(int count) {
    this.staleEntries = count;
  }

  public void recordStaleReset() {
    staleResets.incrementAndGet();
    lastStaleResetMillis = clock.millis();
    staleEntries = 0;
  }

  /** Milliseconds since the last reset for stale entries; -1 when there was none. */
  public long millisSinceStaleReset() {
    long last = lastStaleResetMillis;
    return last < 0 ? -1 : clock.millis() - last;
  }

  public long staleResets() {
    return staleResets.get();
  }

  public int staleEntries() {
    return staleEntries;
  }

  public void recordAuthUpdate() {
    authUpdates.incrementAndGet();
  }

  public Endpoint recorded() {
    return recorded;
  }

  public Endpoint monitored() {
    return monitored;
  }

  /** Sentinel answered within {@code maxAgeMillis}. */
  public boolean answering(long maxAgeMillis) {
    return lastAnswerMillis >= 0 && clock.millis() - lastAnswerMillis <= maxAgeMillis;
  }

  /** Answering, and monitoring the recorded primary. */
  public boolean monitorsRecordedPrimary(long maxAgeMillis) {
    Endpoint r = recorded;
    return answering(maxAgeMillis) && r != null && r.equals(monitored);
  }

  public long repoints() {
    return repoints.get();
  }

  public long authUpdates() {
    return authUpdates.get();
  }
}
