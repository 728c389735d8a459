package io.redisoperator.controller.failover;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Builds observations of a cluster {@code c} whose pod {@code c-n} has IP 127.0.20.(n+1); c-0 is
 * the recorded primary.
 */
public final class Fixture {
  public static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");
  public static final String REPLID = "a".repeat(40);
  public static final String OTHER_REPLID = "b".repeat(40);

  private final RedisCluster cluster = new RedisCluster();
  private final Map<String, InstanceObservation> instances = new LinkedHashMap<>();
  private final Set<String> userFenced = new HashSet<>();
  private Instant observingSince;
  private final Map<String, Instant> warnedSince = new HashMap<>();
  private Instant now = NOW;

  private Fixture(int count) {
    cluster.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("ns").build());
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(count);
    cluster.setSpec(spec);
    RedisClusterStatus status = new RedisClusterStatus();
    status.setCurrentPrimary("c-0");
    status.setTargetPrimary("c-0");
    cluster.setStatus(status);
  }

  /** A healthy cluster: c-0 primary at {@code offset}, every replica linked and caught up. */
  public static Fixture healthy(int count, long offset) {
    Fixture fixture = new Fixture(count);
    fixture.put(primary(0, offset));
    for (int n = 1; n < count; n++) {
      fixture.put(replica(n, 0, offset));
    }
    return fixture;
  }

  public static String pod(int ordinal) {
    return "c-" + ordinal;
  }

  public static String ip(int ordinal) {
    return "127.0.20." + (ordinal + 1);
  }

  public static InstanceObservation primary(int ordinal, long offset) {
    return answering(
        ordinal, status(pod(ordinal), InstanceRole.PRIMARY, REPLID, offset, null, null, -1L));
  }

  public static InstanceObservation replica(int ordinal, int primaryOrdinal, long offset) {
    return answering(
        ordinal,
        status(pod(ordinal), InstanceRole.REPLICA, REPLID, offset, ip(primaryOrdinal), true, 0L));
  }

  public static InstanceObservation answering(int ordinal, InstanceStatus status) {
    return new InstanceObservation(
        pod(ordinal),
        ordinal,
        PodPhase.RUNNING,
        true,
        ip(ordinal),
        status,
        NOW,
        0,
        PollFailure.NONE,
        true);
  }

  public static InstanceStatus status(
      String pod,
      InstanceRole role,
      String replId,
      long offset,
      String masterHost,
      Boolean linkUp,
      Long ioAgo) {
    return InstanceStatus.builder(pod)
        .role(role)
        .redisUp(true)
        .redisVersion("7.0.15")
        .masterReplId(replId)
        .replicationOffset(offset)
        .masterHost(masterHost)
        .masterPort(masterHost == null ? null : 6379)
        .masterLinkUp(linkUp)
        .masterLastIoSecondsAgo(ioAgo)
        .connectedReplicas(List.of())
        .configHash("hash")
        .secretVersions(Map.of())
        .agentUptimeSeconds(100)
        .build();
  }

  // --- changes to one instance ---

  public static InstanceObservation silent(
      InstanceObservation i, int failures, PollFailure failure, Instant lastSeen) {
    return new InstanceObservation(
        i.podName(),
        i.ordinal(),
        i.podPhase(),
        i.podReady(),
        i.podIP(),
        i.lastStatus(),
        lastSeen,
        failures,
        failure,
        i.specHashCurrent());
  }

  /** Its last answer arrived at {@code lastSeen}. */
  public static InstanceObservation seenAt(InstanceObservation i, Instant lastSeen) {
    return new InstanceObservation(
        i.podName(),
        i.ordinal(),
        i.podPhase(),
        i.podReady(),
        i.podIP(),
        i.lastStatus(),
        lastSeen,
        i.consecutiveFailures(),
        i.lastFailure(),
        i.specHashCurrent(),
        i.unansweredSince(),
        i.redisUnansweredPolls());
  }

  /** Silent since a poll sent at {@code unansweredSince} went unanswered. */
  public static InstanceObservation unansweredSince(
      InstanceObservation i, Instant unansweredSince) {
    return new InstanceObservation(
        i.podName(),
        i.ordinal(),
        i.podPhase(),
        i.podReady(),
        i.podIP(),
        i.lastStatus(),
        i.lastSeen(),
        i.consecutiveFailures(),
        i.lastFailure(),
        i.specHashCurrent(),
        unansweredSince,
        i.redisUnansweredPolls());
  }

  /**
   * The agent answered {@code polls} times in a row that its Redis does not answer (process
   * running).
   */
  public static InstanceObservation redisUnanswered(InstanceObservation i, int polls) {
    InstanceObservation busy = reporting(i, s -> s.redisUp(false).processRunning(true));
    return new InstanceObservation(
        busy.podName(),
        busy.ordinal(),
        busy.podPhase(),
        busy.podReady(),
        busy.podIP(),
        busy.lastStatus(),
        busy.lastSeen(),
        0,
        PollFailure.NONE,
        busy.specHashCurrent(),
        null,
        polls);
  }

  /**
   * The pod object is gone; its last address was polled {@code failures} times since, failing with
   * {@code failure}.
   */
  public static InstanceObservation deleted(
      InstanceObservation i, int failures, PollFailure failure) {
    return new InstanceObservation(
        i.podName(),
        i.ordinal(),
        PodPhase.MISSING,
        false,
        i.podIP(),
        null,
        i.lastSeen(),
        failures,
        failure,
        false,
        failures == 0 ? null : i.lastSeen(),
        0);
  }

  /** The same pod name at another address (a new incarnation), nothing answered there yet. */
  public static InstanceObservation withIp(InstanceObservation i, String podIP) {
    return new InstanceObservation(
        i.podName(),
        i.ordinal(),
        i.podPhase(),
        i.podReady(),
        podIP,
        null,
        null,
        i.consecutiveFailures(),
        i.lastFailure(),
        i.specHashCurrent());
  }

  public static InstanceObservation phase(InstanceObservation i, PodPhase phase) {
    return new InstanceObservation(
        i.podName(),
        i.ordinal(),
        phase,
        i.podReady(),
        i.podIP(),
        i.lastStatus(),
        i.lastSeen(),
        i.consecutiveFailures(),
        i.lastFailure(),
        i.specHashCurrent());
  }

  public static InstanceObservation ready(InstanceObservation i, boolean ready) {
    return new InstanceObservation(
        i.podName(),
        i.ordinal(),
        i.podPhase(),
        ready,
        i.podIP(),
        i.lastStatus(),
        i.lastSeen(),
        i.consecutiveFailures(),
        i.lastFailure(),
        i.specHashCurrent());
  }

  public static InstanceObservation outdated(InstanceObservation i) {
    return new InstanceObservation(
        i.podName(),
        i.ordinal(),
        i.podPhase(),
        i.podReady(),
        i.podIP(),
        i.lastStatus(),
        i.lastSeen(),
        i.consecutiveFailures(),
        i.lastFailure(),
        false);
  }

  public static InstanceObservation reporting(
      InstanceObservation i, UnaryOperator<StatusChange> change) {
    return new InstanceObservation(
        i.podName(),
        i.ordinal(),
        i.podPhase(),
        i.podReady(),
        i.podIP(),
        change.apply(new StatusChange(i.lastStatus())).build(),
        i.lastSeen(),
        i.consecutiveFailures(),
        i.lastFailure(),
        i.specHashCurrent());
  }

  /** Copy-with for the agent's status record. */
  public static final class StatusChange {
    private InstanceRole role;
    private boolean redisUp;
    private String replId;
    private Long offset;
    private String masterHost;
    private Boolean linkUp;
    private Long ioAgo;
    private boolean fenced;
    private boolean selfFenced;
    private Boolean processRunning;
    private final InstanceStatus base;

    StatusChange(InstanceStatus s) {
      base = s;
      role = s.role();
      redisUp = s.redisUp();
      replId = s.masterReplId();
      offset = s.replicationOffset();
      masterHost = s.masterHost();
      linkUp = s.masterLinkUp();
      ioAgo = s.masterLastIoSecondsAgo();
      fenced = s.fenced();
      selfFenced = s.selfFenced();
      processRunning = s.redisProcessRunning();
    }

    public StatusChange processRunning(Boolean v) {
      processRunning = v;
      return this;
    }

    public StatusChange role(InstanceRole v) {
      role = v;
      return this;
    }

    public StatusChange redisUp(boolean v) {
      redisUp = v;
      return this;
    }

    public StatusChange replId(String v) {
      replId = v;
      return this;
    }

    public StatusChange offset(long v) {
      offset = v;
      return this;
    }

    public StatusChange master(String host, Boolean up, Long io) {
      masterHost = host;
      linkUp = up;
      ioAgo = io;
      return this;
    }

    public StatusChange fenced(boolean v) {
      fenced = v;
      return this;
    }

    public StatusChange selfFenced(boolean v) {
      selfFenced = v;
      return this;
    }

    InstanceStatus build() {
      return base.toBuilder()
          .role(role)
          .redisUp(redisUp)
          .masterReplId(replId)
          .replicationOffset(offset)
          .masterHost(masterHost)
          .masterPort(masterHost == null ? null : 6379)
          .masterLinkUp(linkUp)
          .masterLastIoSecondsAgo(ioAgo)
          .fenced(fenced)
          .selfFenced(selfFenced)
          .redisProcessRunning(processRunning)
          .build();
    }
  }

  // --- fixture-level changes ---

  public Fixture put(InstanceObservation instance) {
    instances.put(instance.podName(), instance);
    return this;
  }

  public Fixture change(int ordinal, UnaryOperator<InstanceObservation> change) {
    instances.put(pod(ordinal), change.apply(instances.get(pod(ordinal))));
    return this;
  }

  public Fixture remove(int ordinal) {
    instances.remove(pod(ordinal));
    return this;
  }

  public Fixture status(Consumer<RedisClusterStatus> change) {
    change.accept(cluster.getStatus());
    return this;
  }

  public Fixture spec(Consumer<RedisClusterSpec> change) {
    change.accept(cluster.getSpec());
    return this;
  }

  public Fixture annotate(String key, String value) {
    Map<String, String> annotations = new HashMap<>();
    if (cluster.getMetadata().getAnnotations() != null) {
      annotations.putAll(cluster.getMetadata().getAnnotations());
    }
    annotations.put(key, value);
    cluster.getMetadata().setAnnotations(annotations);
    return this;
  }

  public Fixture userFenced(String... pods) {
    userFenced.addAll(List.of(pods));
    return this;
  }

  /**
   * The controller saw the fence of {@code pod} written at {@code at} (else: now, the conservative
   * default).
   */
  public Fixture warnedSince(String pod, Instant at) {
    warnedSince.put(pod, at);
    return this;
  }

  /** The controller (its cluster actor) started observing at {@code at} (else: now). */
  public Fixture observingSince(Instant at) {
    observingSince = at;
    return this;
  }

  public Fixture at(Instant instant) {
    now = instant;
    return this;
  }

  public ClusterObservation observation() {
    return new ClusterObservation(
        cluster,
        Map.copyOf(instances),
        io.redisoperator.controller.observation.UserFencing.of(Set.copyOf(userFenced)),
        now,
        warnedSince,
        observingSince);
  }
}
