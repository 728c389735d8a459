package io.redisoperator.agent.instance;

import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.acl.AclStatus;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.StatusVersions;
import io.redisoperator.protocol.agent.StatusWaiters;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The latest known state of the instance, written by the background INFO poller, the supervisor and
 * the instance actor, read by /v1/status, /readyz and /metrics. Reading never touches Redis, so
 * status always answers at once.
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

  /**
   * Whether the running redis-server accepts writes as far as Redis itself confirmed it (its start
   * conf, or the last CONFIG SET of min-replicas-to-write that answered OK); null while unknown (a
   * CONFIG SET in flight or failed).
   */
  private final AtomicReference<Boolean> appliedWritable = new AtomicReference<>();

  private final AtomicLong lastApiContactMillis = new AtomicLong();
  private final AtomicLong lastReplicaAckMillis = new AtomicLong();
  private final AtomicBoolean hadReplicas = new AtomicBoolean();
  private final AtomicLong lastUnwritableReportMillis = new AtomicLong(Long.MIN_VALUE);
  private volatile Supplier<BackupProgress> backupProgress = () -> null;
  private volatile Supplier<AclStatus> aclStatus = () -> null;

  /** Held status long-polls, woken by every write below (see {@link StatusWaiters}). */
  private final StatusWaiters waiters;

  public StatusBoard(String podName, Clock clock) {
    this.podName = podName;
    this.clock = clock;
    this.startedAtMillis = clock.millis();
    this.waiters =
        new StatusWaiters(this::status, new StatusVersions(startedAtMillis), clock::millis);
  }

  /** The status with its version, and the long-poll that waits for the next one. */
  public StatusWaiters waiters() {
    return waiters;
  }

  /**
   * @param issuedAtMillis when the INFO request was sent: the snapshot describes Redis no earlier
   *     than that
   */
  public void recordInfo(RedisInfo info, long issuedAtMillis) {
    snapshot.set(new Snapshot(info, clock.millis(), issuedAtMillis, null));
    lastKnownInfo.set(info);
    if (info.isPrimary() && !info.replicas().isEmpty()) {
      hadReplicas.set(true);
    }
    waiters.changed();
  }

  /**
   * Whether this agent ever saw a replica connected to its Redis: a cluster where another may be
   * promoted.
   */
  public boolean hadReplicas() {
    return hadReplicas.get();
  }

  /**
   * The last INFO ever read, even from a redis-server that has since died (what it was when it went
   * down).
   */
  public RedisInfo lastKnownInfo() {
    return lastKnownInfo.get();
  }

  public void recordInfoFailure(Throwable error) {
    long at = clock.millis();
    snapshot.set(new Snapshot(null, at, at, String.valueOf(error)));
    waiters.changed();
  }

  /** Where the status reads the applied ACL generation from. */
  public void aclStatusFrom(Supplier<AclStatus> source) {
    aclStatus = source;
  }

  /** What the ACL sync reports now, null without one. */
  public AclStatus aclStatus() {
    return aclStatus.get();
  }

  /** Where the status reads the latest backup or restore from. */
  public void backupProgressFrom(Supplier<BackupProgress> source) {
    backupProgress = source;
  }

  public void publish(AgentView agentView) {
    view.set(agentView);
    waiters.changed();
  }

  public void recordRedisRunning(boolean running) {
    if (running) {
      redisStartedAtMillis.set(clock.millis());
    }
    appliedWritable.set(null);
    redisRunning.set(running);
    waiters.changed();
  }

  /**
   * Recorded when a start is under way (before the boot guard runs) and again right before
   * redis-server is exec'd, so no instant exists where a child may run, or is about to, while the
   * status says none does.
   *
   * @param startsWritable what the conf it starts with says about writes (null: unknown yet)
   */
  public void recordRedisStarting(Boolean startsWritable) {
    redisStartedAtMillis.set(clock.millis());
    appliedWritable.set(startsWritable);
    redisRunning.set(true);
    waiters.changed();
  }

  /**
   * A CONFIG SET of writability is about to be sent: until Redis answers, what it applies is
   * unknown.
   */
  public void recordWritabilityApplying() {
    appliedWritable.set(null);
    waiters.changed();
  }

  /** Redis answered OK to a CONFIG SET making it {@code writable} (or not). */
  public void recordWritabilityApplied(boolean writable) {
    appliedWritable.set(writable);
    waiters.changed();
  }

  /** What Redis confirmed about writes on the running server: true/false, null while unknown. */
  public Boolean appliedWritable() {
    return appliedWritable.get();
  }

  /**
   * Redis has confirmed it refuses writes, or no redis-server runs: nothing here can accept a
   * write.
   */
  public boolean writesRefusedByRedis() {
    return !redisRunning.get() || Boolean.FALSE.equals(appliedWritable.get());
  }

  /**
   * A status was sent to the controller: if it said Redis cannot take writes, the controller may
   * promote another instance on it for {@link
   * io.redisoperator.protocol.agent.SelfFencing#UNWRITABLE_REPORT_VALIDITY_MILLIS}.
   */
  public void recordReportServed(InstanceStatus served) {
    // What the controller may promote elsewhere on: proof of death, a fence acknowledgement, or a
    // replica's role.
    boolean permitsPromotion =
        served.redisProcessDead()
            || served.fenced()
            || served.selfFenced()
            || served.role() == InstanceRole.REPLICA;
    if (permitsPromotion) {
      lastUnwritableReportMillis.accumulateAndGet(clock.millis(), Math::max);
    }
  }

  /**
   * When a status saying "cannot take writes" was last sent to the controller (Long.MIN_VALUE:
   * never).
   */
  public long lastUnwritableReportMillis() {
    return lastUnwritableReportMillis.get();
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
    waiters.changed();
  }

  public void recordControllerContact() {
    lastControllerContactMillis.set(clock.millis());
  }

  public long lastControllerContactMillis() {
    return lastControllerContactMillis.get();
  }

  /**
   * An API read that vouches for this pod started at {@code startedAtMillis} (its contact is dated
   * by the start).
   */
  public void recordApiContact(long startedAtMillis) {
    lastApiContactMillis.accumulateAndGet(startedAtMillis, Math::max);
  }

  public long lastApiContactMillis() {
    return lastApiContactMillis.get();
  }

  /**
   * A replica acknowledged a heartbeat sent at {@code sentAtMillis}: it was in contact after that
   * moment.
   */
  public void recordReplicaAck(long sentAtMillis) {
    lastReplicaAckMillis.accumulateAndGet(sentAtMillis, Math::max);
  }

  /** When the latest heartbeat a replica acknowledged was sent (0: none yet). */
  public long lastReplicaAckMillis() {
    return lastReplicaAckMillis.get();
  }

  public int restartCount() {
    return restarts.get();
  }

  public AgentView view() {
    return view.get();
  }

  /**
   * The last INFO, if it describes Redis now: recent, and taken from the redis-server that is
   * running (a dead child shows at once, without waiting for the next poll to fail).
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
    // Reported fenced only once it holds: the controller takes this as the acknowledgement that
    // lets it promote
    // another instance. A fence recorded but not yet applied by Redis shows as fenceRecorded() and
    // on /metrics.
    boolean fenced = fenceRecorded() && writesRefusedByRedis();
    boolean selfFenced = v.selfFenced() && fenced;
    boolean processRunning = redisRunning.get();
    long uptime = (clock.millis() - startedAtMillis) / 1000;
    // What the agent itself knows, whether or not Redis answered.
    InstanceStatus.Builder status =
        InstanceStatus.builder(podName)
            .fenced(fenced)
            .selfFenced(selfFenced)
            .restartCount(restarts.get())
            .configHash(v.configHash())
            .secretVersions(v.secretVersions())
            .agentUptimeSeconds(uptime)
            .redisProcessRunning(processRunning)
            .backup(backupProgress.get())
            .acl(aclStatus.get());
    if (info == null) {
      return status.role(InstanceRole.UNKNOWN).connectedReplicas(List.of()).build();
    }
    boolean replica = info.role() == InstanceRole.REPLICA;
    return status
        .role(info.role())
        .redisUp(true)
        .redisVersion(info.get("redis_version"))
        .masterReplId(info.masterReplId())
        .replicationOffset(info.replicationOffset())
        .masterHost(replica ? info.masterHost() : null)
        .masterPort(replica ? info.masterPort() : null)
        .masterLinkUp(replica ? info.masterLinkUp() : null)
        .masterLastIoSecondsAgo(replica ? lastIo(info) : null)
        .connectedReplicas(info.replicas())
        .build();
  }

  /**
   * The agent wants Redis to refuse writes (fence marker, self-fence or boot hold), applied or not.
   */
  public boolean fenceRecorded() {
    AgentView v = view.get();
    return v.fenced() || v.hold();
  }

  private static Long lastIo(RedisInfo info) {
    Long v = info.masterLastIoSecondsAgo();
    return v == null ? -1L : v;
  }
}
