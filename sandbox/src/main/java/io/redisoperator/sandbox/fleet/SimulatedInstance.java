package io.redisoperator.sandbox.fleet;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicaInfo;
import io.redisoperator.protocol.agent.StatusVersions;
import io.redisoperator.protocol.agent.StatusWaiters;
import io.redisoperator.protocol.crd.InstanceRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * One simulated agent and its Redis: role, replication id and offset, whom it follows, fence,
 * process state. Pure and synchronized; replicas read their primary through the {@link Peers} they
 * are given, so a whole cluster's replication stays consistent (a replica's offset never passes its
 * primary's, a dead primary drops its replicas' links). Whoever changes it wakes the held status
 * requests of its cluster ({@link Fleet}).
 */
public final class SimulatedInstance {
  /** An idle primary's offset grows as real Redis' replication PINGs do: 14 bytes every 10 s. */
  static final long PING_BYTES = 14;

  static final long PING_PERIOD_MILLIS = 10_000;

  /** The Redis version every simulated instance reports. */
  static final String REDIS_VERSION = "7.2.4";

  /** Finds the instance serving an address (replicas look up their primary). */
  public interface Peers {
    Optional<SimulatedInstance> byIp(String ip);

    List<SimulatedInstance> followersOf(String ip);

    /**
     * Something changed: every member's held status request looks again (a replica's link follows
     * its primary).
     */
    void changed();
  }

  /**
   * Why an operation was refused: the HTTP status and agent error code the real agent answers with.
   */
  public record Refusal(int status, String code, String message) {}

  private final String podName;
  private final String ip;
  private final LongSupplier millis;
  private final Peers peers;
  private final long startedAtMillis;
  private final StatusWaiters waiters;
  private InstanceRole role;
  private String replId;

  /**
   * Offset when {@link #offsetSinceMillis} started (a primary's grows from there; a replica's is
   * its last sync).
   */
  private long offsetBase;

  private long offsetSinceMillis;
  private String masterHost;
  private long linkDownSinceMillis = -1;
  private boolean fenced;
  private boolean redisRunning = true;
  private int restartCount;

  /**
   * @param primary starts as a primary with a fresh replication id (the first pod of a new cluster,
   *     or the recorded primary); otherwise a replica following {@code masterHost} (null: waiting
   *     for the controller)
   */
  public SimulatedInstance(
      String podName,
      String ip,
      boolean primary,
      String masterHost,
      LongSupplier millis,
      Peers peers) {
    this.podName = podName;
    this.ip = ip;
    this.millis = millis;
    this.peers = peers;
    this.startedAtMillis = millis.getAsLong();
    this.role = primary ? InstanceRole.PRIMARY : InstanceRole.REPLICA;
    this.replId = primary ? newReplId() : null;
    this.offsetSinceMillis = startedAtMillis;
    this.masterHost = primary ? null : masterHost;
    // Woken by every change in the cluster (Peers.changed); the recheck only covers what nothing
    // signals.
    this.waiters =
        new StatusWaiters(this::status, new StatusVersions(startedAtMillis), millis, 2000);
  }

  /** After a change: the held status requests of the whole cluster look again. */
  public void announceChange() {
    peers.changed();
  }

  /** The held status requests of this instance's agent. */
  public StatusWaiters waiters() {
    return waiters;
  }

  public String podName() {
    return podName;
  }

  public String ip() {
    return ip;
  }

  public synchronized boolean redisRunning() {
    return redisRunning;
  }

  synchronized boolean isServingPrimary() {
    return redisRunning && role == InstanceRole.PRIMARY;
  }

  /** Whom it follows (null: a primary, or a replica waiting for the controller). */
  public synchronized String masterHost() {
    return role == InstanceRole.REPLICA ? masterHost : null;
  }

  synchronized String replIdNow() {
    return replId;
  }

  /** A primary's offset now; a replica's as of its last sync with its primary. */
  synchronized long offsetNow() {
    long now = millis.getAsLong();
    return role == InstanceRole.PRIMARY && redisRunning
        ? offsetBase + (now - offsetSinceMillis) / PING_PERIOD_MILLIS * PING_BYTES
        : offsetBase;
  }

  /** What {@code GET /v1/status} answers. */
  public InstanceStatus status() {
    Optional<SimulatedInstance> primary = followedPrimary();
    // Read outside this instance's lock: locks are only ever taken replica first, then primary.
    List<ReplicaInfo> replicas = new ArrayList<>();
    for (SimulatedInstance follower : peers.followersOf(ip)) {
      if (follower != this && follower.redisRunning()) {
        replicas.add(
            new ReplicaInfo(follower.ip(), AgentApi.REDIS_PORT, "online", follower.offsetNow(), 0));
      }
    }
    synchronized (this) {
      // What every answer carries, Redis up or not: Redis' own fields are added below.
      InstanceStatus.Builder answer =
          InstanceStatus.builder(podName)
              .connectedReplicas(List.of())
              .fenced(fenced)
              .restartCount(restartCount)
              .secretVersions(Map.of())
              .agentUptimeSeconds((millis.getAsLong() - startedAtMillis) / 1000);
      if (!redisRunning) {
        return answer.role(InstanceRole.UNKNOWN).redisProcessRunning(false).build();
      }
      answer.redisUp(true).redisVersion(REDIS_VERSION).redisProcessRunning(true);
      if (role == InstanceRole.PRIMARY) {
        return answer
            .role(role)
            .masterReplId(replId)
            .replicationOffset(offsetNow())
            .connectedReplicas(replicas)
            .build();
      }
      sync(primary);
      boolean linkUp = primary.isPresent();
      long lastIo =
          linkUp
              ? 0
              : linkDownSinceMillis < 0 ? -1 : (millis.getAsLong() - linkDownSinceMillis) / 1000;
      return answer
          .role(role)
          .masterReplId(replId)
          .replicationOffset(offsetBase)
          .masterHost(masterHost)
          .masterPort(masterHost == null ? null : AgentApi.REDIS_PORT)
          .masterLinkUp(linkUp)
          .masterLastIoSecondsAgo(lastIo)
          .build();
    }
  }

  /** {@code POST /v1/promote}: the same guards as the agent (replication id, offset, deadline). */
  public Optional<Refusal> promote(PromoteRequest request, long receivedAtMillis) {
    Optional<SimulatedInstance> primary = followedPrimary();
    synchronized (this) {
      if (!redisRunning) {
        return Optional.of(new Refusal(503, "redis_unavailable", "redis-server is not running"));
      }
      if (millis.getAsLong() - receivedAtMillis > request.timeoutMillis()) {
        return Optional.of(new Refusal(408, "timeout", "deadline passed before the promotion"));
      }
      if (role == InstanceRole.PRIMARY) {
        return Optional.empty();
      }
      sync(primary);
      if (replId == null || !replId.equals(request.expectedReplId())) {
        return Optional.of(
            new Refusal(
                409,
                "conflict",
                "replication id " + replId + ", expected " + request.expectedReplId()));
      }
      if (offsetBase < request.minOffset()) {
        return Optional.of(
            new Refusal(409, "conflict", "offset " + offsetBase + " below " + request.minOffset()));
      }
      role = InstanceRole.PRIMARY;
      replId = newReplId();
      offsetSinceMillis = millis.getAsLong();
      masterHost = null;
      linkDownSinceMillis = -1;
      return Optional.empty();
    }
  }

  /**
   * {@code POST /v1/replicate}: follow {@code host}; a full sync with a serving primary is instant
   * here.
   */
  public Optional<Refusal> replicate(String host) {
    if (host.equals(ip)) {
      return Optional.of(new Refusal(400, "bad_request", "cannot replicate from itself"));
    }
    synchronized (this) {
      if (!redisRunning) {
        return Optional.of(new Refusal(503, "redis_unavailable", "redis-server is not running"));
      }
      if (role == InstanceRole.REPLICA && host.equals(masterHost)) {
        return Optional.empty();
      }
      role = InstanceRole.REPLICA;
      masterHost = host;
      linkDownSinceMillis = millis.getAsLong();
    }
    status(); // syncs at once when the primary serves
    return Optional.empty();
  }

  public synchronized void fence() {
    if (!fenced) {
      fenced = true;
    }
  }

  public synchronized void unfence() {
    if (fenced) {
      fenced = false;
    }
  }

  /** The redis-server process dies (and stays dead until {@link #restartRedis}). */
  public synchronized void killRedis() {
    if (redisRunning) {
      offsetBase = offsetNow();
      redisRunning = false;
    }
  }

  /**
   * Redis starts again as the agent's boot guard would start it: primary only when it is the
   * recorded primary, otherwise a replica of {@code primaryIp} (null: waiting for the controller).
   */
  public synchronized void restartRedis(boolean designatedPrimary, String primaryIp) {
    if (redisRunning) {
      return;
    }
    redisRunning = true;
    restartCount++;
    if (designatedPrimary) {
      role = InstanceRole.PRIMARY;
      offsetSinceMillis = millis.getAsLong();
      masterHost = null;
    } else {
      role = InstanceRole.REPLICA;
      masterHost = primaryIp;
      linkDownSinceMillis = millis.getAsLong();
    }
  }

  private Optional<SimulatedInstance> followedPrimary() {
    String host;
    synchronized (this) {
      host = role == InstanceRole.REPLICA && redisRunning ? masterHost : null;
    }
    return host == null
        ? Optional.empty()
        : peers.byIp(host).filter(SimulatedInstance::isServingPrimary);
  }

  /** A replica takes its primary's id and offset while the link is up. */
  private void sync(Optional<SimulatedInstance> primary) {
    if (primary.isPresent()) {
      String id = primary.get().replIdNow();
      long offset = primary.get().offsetNow();
      replId = id;
      offsetBase = offset;
      linkDownSinceMillis = -1;
    } else if (linkDownSinceMillis < 0) {
      linkDownSinceMillis = millis.getAsLong();
    }
  }

  private static String newReplId() {
    StringBuilder id = new StringBuilder(40);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 40; i++) {
      id.append(Character.forDigit(random.nextInt(16), 16));
    }
    return id.toString();
  }
}
