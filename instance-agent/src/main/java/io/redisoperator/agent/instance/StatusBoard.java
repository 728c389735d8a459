package io.redisoperator.agent.instance;

import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest known state of the instance, written by the background INFO poller, the supervisor and the instance
 * actor, read by /v1/status, /readyz and /metrics. Reading never touches Redis, so status always answers at once.
 */
public final class StatusBoard {
  /** A snapshot older than this no longer proves Redis is up. */
  static final long MAX_SNAPSHOT_AGE_MILLIS = 2000;

  /** One INFO result, or the failure of the last attempt. */
  public record Snapshot(RedisInfo info, long takenAtMillis, long issuedAtMillis, String error) {}

  private final String podName;
  private final Clock clock;
  private final long startedAtMillis;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
  private final AtomicReference<RedisInfo> lastKnownInfo = new AtomicReference<>();
  private final AtomicReference<AgentView> view = new AtomicReference<>(AgentView.initial());
  private final AtomicInteger restarts = new AtomicInteger();
  private final AtomicLong lastControllerContactMillis = new AtomicLong();
  private final AtomicBoolean redisRunning = new AtomicBoolean();
  private final AtomicLong redisStartedAtMillis = new AtomicLong();

  public StatusBoard(String podName, Clock clock) {
    this.podName = podName;
    this.clock = clock;
    this.startedAtMillis = clock.millis();
  }

  /** @param issuedAtMillis when the INFO request was sent: the snapshot describes Redis no earlier than that */
  public void recordInfo(RedisInfo info, long issuedAtMillis) {
    snapshot.set(new Snapshot(info, clock.millis(), issuedAtMillis, null));
    lastKnownInfo.set(info);
  }

  /** The last INFO ever read, even from a redis-server that has since died (what it was when it went down). */
  public RedisInfo lastKnownInfo() {
    return lastKnownInfo.get();
  }

  public void recordInfoFailure(Throwable error) {
    long at = clock.millis();
    snapshot.set(new Snapshot(null, at, at, String.valueOf(error)));
  }

  public void publish(AgentView agentView) {
    view.set(agentView);
  }

  public void recordRedisRunning(boolean running) {
    if (running) {
      redisStartedAtMillis.set(clock.millis());
    }
    redisRunning.set(running);
  }

  /** Whether the supervisor has a live redis-server child. */
  public boolean redisRunning() {
    return redisRunning.get();
  }

  public long nowMillis() {
    return clock.millis();
  }

  public void recordRestart() {
    restarts.incrementAndGet();
  }

  public void recordControllerContact() {
    lastControllerContactMillis.set(clock.millis());
  }

  public long lastControllerContactMillis() {
    return lastControllerContactMillis.get();
  }

  public int restartCount() {
    return restarts.get();
  }

  public AgentView view() {
    return view.get();
  }

  /**
   * The last INFO, if it describes Redis now: recent, and taken from the redis-server that is running (a dead child
   * shows at once, without waiting for the next poll to fail).
   */
  public RedisInfo liveInfo() {
    Snapshot s = snapshot.get();
    if (s == null
        || s.info() == null
        || !redisRunning.get()
        || s.issuedAtMillis() < redisStartedAtMillis.get()
        || clock.millis() - s.takenAtMillis() > MAX_SNAPSHOT_AGE_MILLIS) {
      return null;
    }
    return s.info();
  }

  public Snapshot snapshot() {
    return snapshot.get();
  }

  public String podName() {
    return podName;
  }

  public InstanceStatus status() {
    return status(liveInfo());
  }

  /** The status as of {@code info} (null: Redis is not answering). */
  public InstanceStatus status(RedisInfo info) {
    AgentView v = view.get();
    boolean fenced = v.fenced() || v.hold();
    long uptime = (clock.millis() - startedAtMillis) / 1000;
    if (info == null) {
      return new InstanceStatus(
          podName, InstanceRole.UNKNOWN, false, null, null, null, null, null, null, null, List.of(), fenced,
          v.selfFenced(), restarts.get(), v.configHash(), v.secretVersions(), uptime);
    }
    boolean replica = info.role() == InstanceRole.REPLICA;
    return new InstanceStatus(
        podName,
        info.role(),
        true,
        info.get("redis_version"),
        info.masterReplId(),
        info.replicationOffset(),
        replica ? info.masterHost() : null,
        replica ? info.masterPort() : null,
        replica ? info.masterLinkUp() : null,
        replica ? lastIo(info) : null,
        info.replicas(),
        fenced,
        v.selfFenced(),
        restarts.get(),
        v.configHash(),
        v.secretVersions(),
        uptime);
  }

  private static Long lastIo(RedisInfo info) {
    Long v = info.masterLastIoSecondsAgo();
    return v == null ? -1L : v;
  }
}
