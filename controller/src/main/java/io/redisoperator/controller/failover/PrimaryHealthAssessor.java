package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.FailoverSpec;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether the recorded primary has failed. Certain evidence (pod gone, Redis reported down, connections
 * refused) fails it at once; silence fails it only after {@code spec.failover.failureThreshold} consecutive failed
 * polls, and never while a replica still receives its replication stream (then only the controller's path to it is
 * broken, and failing over would turn a monitoring problem into an outage).
 */
public final class PrimaryHealthAssessor {
  private PrimaryHealthAssessor() {}

  /** A replica that heard from its primary this recently (Redis reports whole seconds) proves the primary alive. */
  static final long FRESH_REPLICATION_SECONDS = 1;

  public static PrimaryHealth assess(ClusterObservation observation) {
    Optional<String> recorded = observation.currentPrimary();
    if (recorded.isEmpty()) {
      return PrimaryHealth.suspect("no primary recorded in status yet", null);
    }
    String primary = recorded.get();
    InstanceObservation instance = observation.instance(primary).orElse(null);
    Instant lastContact = instance == null ? null : instance.lastSeen();
    if (instance == null || instance.podPhase() == PodPhase.MISSING) {
      return PrimaryHealth.failed("primary pod " + primary + " is missing", provenBy(instance), lastContact);
    }
    if (instance.podPhase() == PodPhase.TERMINATING || instance.podPhase() == PodPhase.FAILED) {
      return PrimaryHealth.failed(
          "primary pod " + primary + " is " + instance.podPhase().name().toLowerCase(), provenBy(instance), lastContact);
    }
    if (InstanceEvidence.redisReportedDown(instance)) {
      return PrimaryHealth.failed("the agent of " + primary + " reports Redis down", true, lastContact);
    }
    if (InstanceEvidence.agentAnswered(instance)) {
      return answeringPrimary(primary, instance);
    }
    return silentPrimary(observation, primary, instance);
  }

  private static boolean provenBy(InstanceObservation instance) {
    return InstanceEvidence.provenUnwritable(instance);
  }

  private static PrimaryHealth answeringPrimary(String primary, InstanceObservation instance) {
    InstanceRole role = instance.lastStatus().role();
    if (role != InstanceRole.PRIMARY) {
      // Not a failure to fail over from: the agent waits for the controller to confirm its role (boot guard).
      return PrimaryHealth.suspect("recorded primary " + primary + " reports role " + role, instance.lastSeen());
    }
    return PrimaryHealth.healthy(instance.lastSeen());
  }

  private static PrimaryHealth silentPrimary(
      ClusterObservation observation, String primary, InstanceObservation instance) {
    int failures = instance.consecutiveFailures();
    Instant lastContact = instance.lastSeen();
    Optional<String> listener = replicaStillReplicating(observation, primary, instance);
    if (failures == 0) {
      return PrimaryHealth.suspect("primary " + primary + " not polled yet", lastContact);
    }
    if (listener.isPresent()) {
      return PrimaryHealth.suspect(
          "agent of " + primary + " unreachable (" + failures + " failed polls) but replica " + listener.get()
              + " still receives its replication stream",
          lastContact);
    }
    if (InstanceEvidence.connectionRefused(instance)) {
      return PrimaryHealth.failed("the agent port of " + primary + " refuses connections", true, lastContact);
    }
    int threshold = failoverSpec(observation).failureThresholdOrDefault();
    if (failures >= threshold) {
      return PrimaryHealth.failed(
          failures + " consecutive failed polls of " + primary + " (" + instance.lastFailure() + ")",
          false,
          lastContact);
    }
    return PrimaryHealth.suspect(
        failures + " of " + threshold + " failed polls of " + primary + " (" + instance.lastFailure() + ")",
        lastContact);
  }

  /** A replica, answering now, whose link to the primary is up and fresh. */
  private static Optional<String> replicaStillReplicating(
      ClusterObservation observation, String primary, InstanceObservation primaryInstance) {
    String primaryIp = primaryAddress(observation, primary, primaryInstance);
    if (primaryIp == null) {
      return Optional.empty();
    }
    return observation.byOrdinal().stream()
        .filter(i -> !i.podName().equals(primary))
        .filter(InstanceEvidence::agentAnswered)
        .filter(i -> i.lastStatus().role() == InstanceRole.REPLICA)
        .filter(i -> primaryIp.equals(i.lastStatus().masterHost()))
        .filter(i -> i.lastStatus().masterPort() == null || i.lastStatus().masterPort() == AgentApi.REDIS_PORT)
        .filter(i -> Boolean.TRUE.equals(i.lastStatus().masterLinkUp()))
        .filter(i -> freshIo(i.lastStatus().masterLastIoSecondsAgo()))
        .map(InstanceObservation::podName)
        .findFirst();
  }

  private static boolean freshIo(Long secondsAgo) {
    return secondsAgo != null && secondsAgo >= 0 && secondsAgo <= FRESH_REPLICATION_SECONDS;
  }

  /** The primary's pod IP: from the pod, else from the last status the operator recorded. */
  static String primaryAddress(ClusterObservation observation, String primary, InstanceObservation instance) {
    if (instance != null && instance.podIP() != null) {
      return instance.podIP();
    }
    if (observation.cluster().getStatus() == null) {
      return null;
    }
    InstanceStatusEntry entry = observation.cluster().getStatus().getInstancesStatus().get(primary);
    return entry == null ? null : entry.getPodIP();
  }

  static FailoverSpec failoverSpec(ClusterObservation observation) {
    FailoverSpec spec = observation.cluster().getSpec() == null ? null : observation.cluster().getSpec().getFailover();
    return spec == null ? new FailoverSpec() : spec;
  }
}
