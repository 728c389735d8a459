package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Computes the status a cluster should show from one pass's input and plan. Pure. */
public final class StatusBuilder {
  private StatusBuilder() {}

  public static RedisClusterStatus build(ReconcileInput in, Plan plan) {
    RedisClusterStatus previous =
        in.cluster().getStatus() == null ? new RedisClusterStatus() : in.cluster().getStatus();
    Durable durable = plan.decision() != null ? plan.decision() : in.durable();
    RedisClusterStatus status = new RedisClusterStatus();
    durable.applyTo(status);
    Long generation = in.cluster().getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    status.setSecretsResourceVersion(secretVersions(in));
    // The spec in force: the submitted one when valid, else the last valid one again (see
    // SpecInForce).
    status.setLastValidSpec(in.cluster().getSpec());

    if (plan.phase() == Phase.INVALID && plan.stopped()) {
      // Never had a valid spec: nothing runs, so nothing new is observed either.
      status.setLastValidSpec(previous.getLastValidSpec());
      status.setInstancesStatus(previous.getInstancesStatus());
      status.setReadyInstances(previous.getReadyInstances());
      status.setPhase(Phase.INVALID);
      status.setPhaseReason(plan.phaseReason());
      status.setConditions(
          Conditions.set(
              previous.getConditions(),
              ConditionType.READY,
              ConditionStatus.FALSE,
              ConditionReason.INVALID_SPEC,
              plan.phaseReason(),
              generation,
              in.now()));
      return status;
    }

    String primary = durable.currentPrimary();
    Long primaryOffset =
        in.instance(primary == null ? "" : primary)
            .map(InstanceObservation::lastStatus)
            .filter(s -> s.role() == InstanceRole.PRIMARY)
            .map(InstanceStatus::replicationOffset)
            .orElse(null);
    Map<String, InstanceStatusEntry> entries = new TreeMap<>();
    int ready = 0;
    int replicas = 0;
    int linkedReplicas = 0;
    for (Pod pod : DataPods.of(in)) {
      String name = pod.getMetadata().getName();
      InstanceStatusEntry entry = entry(in, name, primaryOffset);
      entries.put(name, entry);
      if (Boolean.TRUE.equals(entry.getReady()) && Boolean.TRUE.equals(entry.getRedisUp())) {
        ready++;
      }
      if (!name.equals(primary)) {
        replicas++;
        if (entry.getRole() == InstanceRole.REPLICA && Boolean.TRUE.equals(entry.getLinkUp())) {
          linkedReplicas++;
        }
      }
    }
    if (primary != null
        && !entries.containsKey(primary)
        && previous.getInstancesStatus() != null
        && previous.getInstancesStatus().get(primary) != null) {
      // The recorded primary's pod is gone (pod-kill): keep what was recorded of it, its
      // replication id above all,
      // which decides the history a failover candidate must be on. It goes once another primary is
      // recorded.
      InstanceStatusEntry kept =
          io.redisoperator.protocol.json.Json.mapper()
              .convertValue(previous.getInstancesStatus().get(primary), InstanceStatusEntry.class);
      kept.setReady(false);
      kept.setRedisUp(false);
      entries.put(primary, kept);
    }
    status.setInstancesStatus(entries);
    status.setReadyInstances(ready);
    status.setUnreachableInstances(unreachablePrimary(in, primary));

    boolean primaryAvailable =
        primary != null
            && !in.fenced(primary)
            && DataPods.reportedUp(in, in.instance(primary))
            && in.instance(primary).get().lastStatus().role() == InstanceRole.PRIMARY;
    boolean replicationHealthy = replicas == linkedReplicas && replicas >= in.instances() - 1;
    boolean allReady = ready == in.instances() && entries.size() == in.instances();

    Phase phase = plan.phase();
    String reason = plan.phaseReason();
    if (phase == null) {
      if (primary != null
          && (durable.isFenced(primary) || !primary.equals(durable.targetPrimary()))) {
        phase = Phase.FAILING_OVER;
        reason = "replacing primary " + primary;
      } else if (allReady && primaryAvailable && replicationHealthy) {
        phase = Phase.HEALTHY;
        reason = null;
      } else if (beingCreated(previous)) {
        phase = Phase.CREATING;
        reason = ready + "/" + in.instances() + " instances ready";
      } else {
        phase = Phase.DEGRADED;
        reason =
            !primaryAvailable
                ? "primary not available"
                : ready + "/" + in.instances() + " instances ready";
      }
    }
    status.setPhase(phase);
    status.setPhaseReason(reason);

    var conditions = previous.getConditions();
    conditions =
        Conditions.set(
            conditions,
            ConditionType.READY,
            ConditionStatus.of(phase == Phase.HEALTHY),
            readyReason(phase),
            phase == Phase.HEALTHY ? "cluster is ready" : reason,
            generation,
            in.now());
    conditions =
        Conditions.set(
            conditions,
            ConditionType.PRIMARY_AVAILABLE,
            ConditionStatus.of(primaryAvailable),
            primaryAvailable
                ? ConditionReason.PRIMARY_SERVING
                : primary == null
                    ? ConditionReason.NO_PRIMARY
                    : ConditionReason.PRIMARY_UNAVAILABLE,
            primary == null
                ? "no primary recorded"
                : primary + (primaryAvailable ? " serves writes" : " does not answer as primary"),
            generation,
            in.now());
    conditions =
        Conditions.set(
            conditions,
            ConditionType.REPLICATION_HEALTHY,
            ConditionStatus.of(replicationHealthy),
            in.instances() == 1
                ? ConditionReason.NO_REPLICAS
                : replicationHealthy
                    ? ConditionReason.REPLICAS_IN_SYNC
                    : ConditionReason.REPLICA_LINK_DOWN,
            linkedReplicas + "/" + Math.max(in.instances() - 1, 0) + " replicas linked",
            generation,
            in.now());
    for (Plan.ConditionUpdate update : plan.conditions()) {
      conditions =
          Conditions.set(
              conditions,
              update.type(),
              update.status(),
              update.reason(),
              update.message(),
              generation,
              in.now());
    }
    for (ConditionType dropped : plan.droppedConditions()) {
      conditions = Conditions.remove(conditions, dropped);
    }
    status.setConditions(conditions);
    return status;
  }

  /**
   * The cluster has never been Healthy: no phase recorded yet, or Creating (which only Healthy or a
   * failover ends). What it waits for meanwhile (its primary's first answer, its replicas) is part
   * of being created, not a degradation or a scale-up.
   */
  public static boolean beingCreated(RedisClusterStatus recorded) {
    return recorded == null || recorded.getPhase() == null || recorded.getPhase() == Phase.CREATING;
  }

  private static ConditionReason readyReason(Phase phase) {
    return switch (phase) {
      case HEALTHY -> ConditionReason.CLUSTER_READY;
      case CREATING, SCALING -> ConditionReason.CREATING;
      case FAILING_OVER, SWITCHING_OVER -> ConditionReason.FAILING_OVER;
      case HIBERNATING -> ConditionReason.HIBERNATING;
      case UPDATING, WAITING_FOR_USER -> ConditionReason.UPDATING;
      case INVALID -> ConditionReason.INVALID_SPEC;
      default -> ConditionReason.INSTANCES_NOT_READY;
    };
  }

  /**
   * The recorded primary from its first unanswered poll (failed, or still in flight past {@code
   * PollSchedule.OVERDUE}) until it answers again. Its agent then stops counting API reads as
   * contact, so a primary cut off from the controller and its replicas fences itself within a
   * bounded time of this record even if it still reaches the API server. The promotion gate waits
   * 2750 ms from the record, so it is written as soon as a poll is overdue, not at its timeout.
   *
   * <p>Only while a replica that could take over is known ({@link #takeoverKnown}): without one no
   * failover can start, so the record would gate nothing, and a starting cluster's primary,
   * answering late on a controller busy starting hundreds of clusters, had it written and removed
   * again and again (docs/performance.md).
   */
  static java.util.List<String> unreachablePrimary(ReconcileInput in, String primary) {
    boolean unanswered =
        primary != null
            && in.instance(primary)
                .map(o -> o.consecutiveFailures() > 0 || o.unansweredSince() != null)
                .orElse(false);
    return unanswered && takeoverKnown(in, primary)
        ? new java.util.ArrayList<>(java.util.List.of(primary))
        : new java.util.ArrayList<>();
  }

  /**
   * Whether a pod other than the primary, not fenced, could ever be promoted in its place: it
   * answered as a replica with a replication id (what {@code CandidateSelector} requires), or the
   * status holds a replication id for it (it answered before: a restarted controller has not heard
   * from it yet). A pod that never answered cannot be promoted before it does, and its first answer
   * runs a pass that writes the record.
   */
  static boolean takeoverKnown(ReconcileInput in, String primary) {
    for (InstanceObservation o : in.observation().instances().values()) {
      InstanceStatus last = o.lastStatus();
      if (!o.podName().equals(primary)
          && !in.fenced(o.podName())
          && last != null
          && last.role() == InstanceRole.REPLICA
          && last.masterReplId() != null) {
        return true;
      }
    }
    RedisClusterStatus recorded = in.cluster().getStatus();
    if (recorded == null || recorded.getInstancesStatus() == null) {
      return false;
    }
    return recorded.getInstancesStatus().entrySet().stream()
        .anyMatch(
            e ->
                !e.getKey().equals(primary)
                    && !in.fenced(e.getKey())
                    && e.getValue() != null
                    && e.getValue().getReplicationId() != null);
  }

  private static InstanceStatusEntry entry(ReconcileInput in, String pod, Long primaryOffset) {
    InstanceStatusEntry entry = new InstanceStatusEntry();
    Optional<InstanceObservation> observation = in.instance(pod);
    InstanceStatus s = observation.map(InstanceObservation::lastStatus).orElse(null);
    entry.setReady(observation.map(InstanceObservation::podReady).orElse(false));
    entry.setPodIP(observation.map(InstanceObservation::podIP).orElse(null));
    entry.setFenced(in.fenced(pod) || (s != null && (s.fenced() || s.selfFenced())));
    entry.setRedisUp(DataPods.reportedUp(in, observation));
    if (s == null) {
      entry.setRole(InstanceRole.UNKNOWN);
      return entry;
    }
    entry.setRole(s.role());
    entry.setReplicationId(s.masterReplId());
    entry.setReplicationOffset(s.replicationOffset());
    if (s.role() == InstanceRole.PRIMARY) {
      entry.setLagBytes(0L);
    } else {
      entry.setLinkUp(Boolean.TRUE.equals(s.masterLinkUp()));
      if (primaryOffset != null && s.replicationOffset() != null) {
        entry.setLagBytes(Math.max(0, primaryOffset - s.replicationOffset()));
      }
    }
    observation
        .map(InstanceObservation::lastSeen)
        .ifPresent(seen -> entry.setLastSeen(StatusTime.format(seen)));
    return entry;
  }

  private static Map<String, String> secretVersions(ReconcileInput in) {
    Map<String, String> versions = new TreeMap<>();
    in.authSecretVersion()
        .ifPresent(rv -> versions.put(ClusterSecrets.authSecretName(in.cluster()), rv));
    String agentCa = ResourceNames.agentCaSecret(in.name());
    in.owned()
        .get(Secret.class, agentCa)
        .ifPresent(s -> versions.put(agentCa, s.getMetadata().getResourceVersion()));
    return versions;
  }

  /**
   * True when writing {@code desired} over {@code current} would change something that matters: see
   * {@link StatusDifference}. A steady cluster makes no writes.
   */
  public static boolean materiallyDifferent(
      RedisClusterStatus current, RedisClusterStatus desired) {
    return StatusDifference.material(current, desired);
  }

  /**
   * True when {@code desired} differs from {@code current} only in a starting cluster's progress
   * (its instances, ready count, conditions, phase reason), not in its phase, a decision field or
   * the generation observed: see {@link StatusDifference#progressOnly}.
   */
  public static boolean onlyProgressDiffers(
      RedisClusterStatus current, RedisClusterStatus desired) {
    return StatusDifference.progressOnly(current, desired);
  }

  /**
   * Names of the top-level status fields that differ materially, for the log line of a status
   * write.
   */
  public static java.util.List<String> changedFields(
      RedisClusterStatus current, RedisClusterStatus desired) {
    return StatusDifference.fields(current, desired);
  }
}
