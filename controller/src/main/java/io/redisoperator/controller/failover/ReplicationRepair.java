package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps every instance behind the recorded primary once it is healthy: fences any other instance
 * answering as a writable primary, points replicas (and fenced former primaries) at the recorded
 * primary, and lifts the operator's fence from an instance once it replicates from the recorded
 * primary with its link up.
 *
 * <p>Right after a switchover the other replicas still follow the former primary, which now follows
 * the new one: linked, they receive every write through it. Pointing them at the new primary
 * directly is tidiness that can wait until the clients have moved ({@link #CHAIN_SETTLE}); done at
 * once, each re-point (the agent's {@code REPLICAOF}, its answer, the passes and status writes that
 * follow) competed with the role label, the Service and the clients' reconnection for the machine
 * (docs/failover.md, "Where the write gap goes").
 */
final class ReplicationRepair {
  /**
   * How long after {@code status.currentPrimaryTimestamp} a replica still linked through a former
   * primary that follows the new one keeps that chain. The timestamp has second precision, so the
   * chain is kept 1 to 2 s after the record; with plain polls of replicas the new primary's first
   * answer as primary (which the re-point waits for) came about a second after the record anyway.
   */
  static final Duration CHAIN_SETTLE = Duration.ofSeconds(2);

  private ReplicationRepair() {}

  static List<FailoverDecision> steps(ClusterObservation observation, String primary) {
    for (InstanceObservation instance : observation.byOrdinal()) {
      if (!instance.podName().equals(primary) && InstanceEvidence.writablePrimary(instance)) {
        return List.of(
            new FailoverDecision.Fence(
                instance.podName(),
                instance.podName() + " answers as a primary but " + primary + " is recorded"));
      }
    }
    List<FailoverDecision> steps = new ArrayList<>();
    steps.addAll(scaledAwayFences(observation, primary));
    InstanceObservation primaryInstance = observation.instance(primary).orElse(null);
    if (!servingPrimary(primaryInstance) || primaryInstance.podIP() == null) {
      return steps;
    }
    String host = primaryInstance.podIP();
    Set<String> fenced = FailoverPlanner.fenced(observation);
    for (InstanceObservation instance : observation.byOrdinal()) {
      if (instance.podName().equals(primary)
          || instance.podPhase() != PodPhase.RUNNING
          || !instance.answering()) {
        continue;
      }
      InstanceStatus status = instance.lastStatus();
      if (!follows(status, host)) {
        Optional<Instant> chainedUntil = chainedUntil(observation, primary, fenced, status);
        steps.add(
            chainedUntil.isPresent()
                ? new FailoverDecision.AwaitRepoint(instance.podName(), chainedUntil.get())
                : new FailoverDecision.Repoint(
                    instance.podName(), primary, host, AgentApi.REDIS_PORT));
      } else if (fenced.contains(instance.podName())
          && Boolean.TRUE.equals(status.masterLinkUp())
          && !observation.userFenced(instance.podName())) {
        steps.add(
            new FailoverDecision.Unfence(
                instance.podName(), instance.podName() + " rejoined as a replica of " + primary));
      }
    }
    return steps;
  }

  /**
   * Until when a replica that does not follow the recorded primary keeps its chain ({@link
   * #CHAIN_SETTLE}): it is linked to another instance, neither fenced (a failover's former primary
   * is) nor answering as a primary, and the primary was recorded less than {@link #CHAIN_SETTLE}
   * ago. Empty: re-point it now.
   */
  static Optional<Instant> chainedUntil(
      ClusterObservation observation, String primary, Set<String> fenced, InstanceStatus status) {
    if (status.role() != InstanceRole.REPLICA
        || !Boolean.TRUE.equals(status.masterLinkUp())
        || status.masterHost() == null) {
      return Optional.empty();
    }
    Optional<InstanceObservation> upstream =
        observation.byOrdinal().stream()
            .filter(i -> status.masterHost().equals(i.podIP()))
            .findFirst();
    if (upstream.isEmpty()
        || upstream.get().podName().equals(primary)
        || fenced.contains(upstream.get().podName())
        || upstream.get().lastStatus() != null
            && upstream.get().lastStatus().role() != InstanceRole.REPLICA) {
      return Optional.empty();
    }
    String recorded =
        observation.cluster().getStatus() == null
            ? null
            : observation.cluster().getStatus().getCurrentPrimaryTimestamp();
    if (recorded == null) {
      return Optional.empty();
    }
    try {
      Instant until = Instant.parse(recorded).plus(CHAIN_SETTLE);
      return observation.now().isBefore(until) ? Optional.of(until) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The recorded primary answers, Redis up, in role primary. */
  static boolean servingPrimary(InstanceObservation instance) {
    return instance != null
        && instance.answering()
        && instance.podPhase() == PodPhase.RUNNING
        && instance.lastStatus().role() == InstanceRole.PRIMARY;
  }

  /** A replica configured to follow host:6379 (link up or still syncing). */
  static boolean follows(InstanceStatus status, String host) {
    return status.role() == InstanceRole.REPLICA
        && Objects.equals(host, status.masterHost())
        && (status.masterPort() == null || status.masterPort() == AgentApi.REDIS_PORT);
  }

  /** Fences recorded for pods that a scale-down removed for good. */
  private static List<FailoverDecision> scaledAwayFences(
      ClusterObservation observation, String primary) {
    Integer instances =
        observation.cluster().getSpec() == null
            ? null
            : observation.cluster().getSpec().getInstances();
    if (instances == null) {
      return List.of();
    }
    List<FailoverDecision> steps = new ArrayList<>();
    for (String pod : FailoverPlanner.fenced(observation)) {
      InstanceObservation instance = observation.instance(pod).orElse(null);
      boolean gone = instance == null || instance.podPhase() == PodPhase.MISSING;
      boolean beyondScale =
          ResourceNames.ordinalOf(observation.name(), pod).orElse(-1) >= instances;
      if (!pod.equals(primary) && gone && beyondScale) {
        steps.add(new FailoverDecision.Unfence(pod, pod + " was scaled away"));
      }
    }
    return steps;
  }
}
