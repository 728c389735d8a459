package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.ReplicationLink;
import io.redisoperator.protocol.crd.FailoverSpec;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether the recorded primary has failed. Proof that its Redis is not running (its address
 * refuses connections after its pod went, its agent saw the process exit, the pod's containers
 * ended) fails it at once and lets the promotion skip the wait. Everything else is a failure
 * without proof: a pod that is gone or terminating while its last address is silent, {@code
 * spec.failover.failureThreshold} consecutive failed polls, or as many answers in which the agent
 * reports a Redis that does not answer while its process runs (a busy Redis). Without proof nothing
 * is failed over while a replica still receives the primary's replication stream (then only the
 * controller's path to it is broken, and failing over would turn a monitoring problem into an
 * outage).
 */
public final class PrimaryHealthAssessor {
  private PrimaryHealthAssessor() {}

  public static PrimaryHealth assess(ClusterObservation observation) {
    Optional<String> recorded = observation.currentPrimary();
    if (recorded.isEmpty()) {
      return PrimaryHealth.suspect("no primary recorded in status yet", null);
    }
    String primary = recorded.get();
    InstanceObservation instance = observation.instance(primary).orElse(null);
    if (instance == null) {
      return PrimaryHealth.failed(
          "primary pod " + primary + " is missing and was never polled", true, null);
    }
    Instant lastContact = instance.lastSeen();
    if (InstanceEvidence.deathProven(instance)) {
      return PrimaryHealth.failed(deathReason(primary, instance), true, lastContact);
    }
    if (InstanceEvidence.agentAnswered(instance)) {
      return answeringPrimary(observation, primary, instance);
    }
    return silentPrimary(observation, primary, instance);
  }

  private static String deathReason(String primary, InstanceObservation instance) {
    if (instance.podPhase() == PodPhase.FAILED) {
      return "primary pod " + primary + " failed: its containers ended";
    }
    if (InstanceEvidence.redisProcessDead(instance)) {
      return "the agent of " + primary + " reports its Redis process exited";
    }
    if (InstanceEvidence.podGone(instance)) {
      return "primary pod "
          + primary
          + " is "
          + phaseName(instance)
          + " and its address refuses connections";
    }
    return "the agent port of " + primary + " refuses connections";
  }

  private static String phaseName(InstanceObservation instance) {
    return instance.podPhase().name().toLowerCase();
  }

  private static PrimaryHealth answeringPrimary(
      ClusterObservation observation, String primary, InstanceObservation instance) {
    if (InstanceEvidence.redisUnanswered(instance)) {
      return busyPrimary(observation, primary, instance);
    }
    InstanceRole role = instance.lastStatus().role();
    if (role != InstanceRole.PRIMARY) {
      // Not a failure to fail over from: the agent waits for the controller to confirm its role
      // (boot guard).
      return PrimaryHealth.suspect(
          "recorded primary " + primary + " reports role " + role, instance.lastSeen());
    }
    if (InstanceEvidence.podGone(instance)) {
      // Going away while still serving: replace it, fencing it first (the gate sees a writable
      // primary).
      return PrimaryHealth.failed(
          "primary pod " + primary + " is " + phaseName(instance) + " while its Redis still serves",
          false,
          instance.lastSeen());
    }
    return PrimaryHealth.healthy(instance.lastSeen());
  }

  /**
   * The agent answers but its Redis does not, and nothing says the process exited: counted like
   * failed polls.
   */
  private static PrimaryHealth busyPrimary(
      ClusterObservation observation, String primary, InstanceObservation instance) {
    int polls = instance.redisUnansweredPolls();
    int threshold = failoverSpec(observation).failureThresholdOrDefault();
    Optional<String> listener = replicaStillReplicating(observation, primary, instance);
    if (listener.isPresent()) {
      return PrimaryHealth.suspect(
          "Redis of "
              + primary
              + " does not answer its agent but replica "
              + listener.get()
              + " still receives its replication stream",
          instance.lastSeen());
    }
    if (polls >= threshold || InstanceEvidence.podGone(instance)) {
      return PrimaryHealth.failed(
          "Redis of "
              + primary
              + " has not answered its agent in "
              + polls
              + " polls; its process still runs",
          false,
          instance.lastSeen());
    }
    return PrimaryHealth.suspect(
        "Redis of "
            + primary
            + " does not answer its agent ("
            + polls
            + " of "
            + threshold
            + " polls)",
        instance.lastSeen());
  }

  private static PrimaryHealth silentPrimary(
      ClusterObservation observation, String primary, InstanceObservation instance) {
    int failures = instance.consecutiveFailures();
    Instant lastContact = instance.lastSeen();
    boolean gone = InstanceEvidence.podGone(instance);
    if (failures == 0 && !gone) {
      return PrimaryHealth.suspect("primary " + primary + " not polled yet", lastContact);
    }
    Optional<String> listener = replicaStillReplicating(observation, primary, instance);
    int threshold = failoverSpec(observation).failureThresholdOrDefault();
    if (listener.isPresent()) {
      String reason =
          (gone
                  ? "primary pod " + primary + " is " + phaseName(instance)
                  : "agent of " + primary + " unreachable (" + failures + " failed polls)")
              + " but replica "
              + listener.get()
              + " still receives its replication stream";
      // Its report may be an interval old, and Redis' link age is in whole seconds (up to 2 s of
      // silence reads as fresh): once nothing else holds the failover back, ask it again now
      // instead of waiting for its next poll.
      return gone || failures >= threshold
          ? PrimaryHealth.suspectUntilRechecked(reason, lastContact, listener.get())
          : PrimaryHealth.suspect(reason, lastContact);
    }
    if (gone) {
      return PrimaryHealth.failed(
          "primary pod "
              + primary
              + " is "
              + phaseName(instance)
              + "; nothing proves its processes ended",
          false,
          lastContact);
    }
    if (failures >= threshold) {
      return PrimaryHealth.failed(
          failures
              + " consecutive failed polls of "
              + primary
              + " ("
              + instance.lastFailure()
              + ")",
          false,
          lastContact);
    }
    return PrimaryHealth.suspect(
        failures
            + " of "
            + threshold
            + " failed polls of "
            + primary
            + " ("
            + instance.lastFailure()
            + ")",
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
        .filter(
            i ->
                i.lastStatus().masterPort() == null
                    || i.lastStatus().masterPort() == AgentApi.REDIS_PORT)
        .filter(i -> Boolean.TRUE.equals(i.lastStatus().masterLinkUp()))
        .filter(i -> ReplicationLink.fresh(i.lastStatus().masterLastIoSecondsAgo()))
        .map(InstanceObservation::podName)
        .findFirst();
  }

  /** The primary's pod IP: from the pod, else from the last status the operator recorded. */
  static String primaryAddress(
      ClusterObservation observation, String primary, InstanceObservation instance) {
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
    FailoverSpec spec =
        observation.cluster().getSpec() == null
            ? null
            : observation.cluster().getSpec().getFailover();
    return spec == null ? new FailoverSpec() : spec;
  }
}
