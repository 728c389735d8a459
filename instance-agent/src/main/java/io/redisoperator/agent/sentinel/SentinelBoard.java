package io.redisoperator.agent.sentinel;

import io.redisoperator.agent.config.Endpoint;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** What the follower last learned, read by the probes and /metrics without touching Sentinel or the API server. */
public final class SentinelBoard {
  private final Clock clock;
  private final AtomicLong repoints = new AtomicLong();
  private final AtomicLong authUpdates = new AtomicLong();
  private volatile Endpoint recorded;
  private volatile Endpoint monitored;
  private volatile long lastAnswerMillis = -1;

  public SentinelBoard(Clock clock) {
    this.clock = clock;
  }

  /** Sentinel answered; {@code monitored} is what it reports for the cluster (null: monitors nothing). */
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
