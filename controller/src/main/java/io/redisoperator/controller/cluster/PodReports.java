package io.redisoperator.controller.cluster;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.ReplicaInfo;
import io.redisoperator.protocol.agent.ReplicationLink;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The latest report of each pod's poller, as the cluster actor last took it: the reconcile pass
 * reads them, polls and agent answers update them.
 */
final class PodReports {
  private final Map<String, PodReport> byPod = new HashMap<>();

  /**
   * The pods this actor has heard from at least once ({@link StatusWriteGate#heardFrom}): a later
   * incarnation's silence does not make a pod unheard of again.
   */
  private final Set<String> heardFrom = new HashSet<>();

  /**
   * Takes a poller's report, unless it was asked before an answer already applied for the same
   * address (it describes the instance as it was).
   *
   * @param failureThreshold the cluster's {@code spec.failover.failureThreshold}: failed polls (and
   *     answers saying Redis is busy) beyond it change no decision, so they ask for no pass (a
   *     silent pod polled every interval asked for one pass per failed poll; on a saturated
   *     controller whose polls all timed out, hundreds of passes a second)
   * @return true when the report can change a decision (offsets and timestamps alone do not)
   */
  boolean take(PodReport report, int failureThreshold) {
    PodReport previous = byPod.get(report.podName());
    if (outdated(report)) {
      return false;
    }
    byPod.put(report.podName(), report);
    if (StatusWriteGate.heardFrom(report)) {
      heardFrom.add(report.podName());
    }
    return !material(previous, failureThreshold).equals(material(report, failureThreshold));
  }

  /** Whether {@code report} was asked before an answer already taken for the same address. */
  boolean outdated(PodReport report) {
    PodReport previous = byPod.get(report.podName());
    return previous != null
        && report.requestedAt().isBefore(previous.requestedAt())
        && Objects.equals(previous.podIP(), report.podIP());
  }

  /**
   * The other pods to poll at once when {@code report} (not yet taken) is a primary's answer whose
   * connected replicas changed since its last: a replica's Redis that died or came back shows in
   * its primary's answer as soon as in its own (the primary's watch answers at once), while its own
   * poll may be an interval away. Empty otherwise.
   */
  List<String> recheckAfter(PodReport report) {
    PodReport previous = byPod.get(report.podName());
    if (previous == null
        || !Objects.equals(previous.podIP(), report.podIP())
        || !answeringPrimary(previous)
        || !answeringPrimary(report)
        || followers(previous).equals(followers(report))) {
      return List.of();
    }
    return byPod.keySet().stream().filter(pod -> !pod.equals(report.podName())).sorted().toList();
  }

  private static boolean answeringPrimary(PodReport report) {
    return report.status() != null
        && report.status().redisUp()
        && report.status().role() == InstanceRole.PRIMARY;
  }

  private static Set<String> followers(PodReport report) {
    List<ReplicaInfo> replicas = report.status().connectedReplicas();
    return replicas == null
        ? Set.of()
        : replicas.stream().map(r -> r.ip() + ":" + r.port()).collect(Collectors.toSet());
  }

  /** An operation's answer carries the instance's fresh status: as good as a poll, and sooner. */
  void refresh(String pod, InstanceStatus status, Instant now) {
    PodReport previous = byPod.get(pod);
    if (status == null || previous == null) {
      return;
    }
    byPod.put(pod, new PodReport(pod, previous.podIP(), status, now, 0, PollFailure.NONE, now));
    heardFrom.add(pod);
  }

  /** Drops what the pod last said (it became stale), keeping when it was last seen. */
  void forgetStatus(String pod, Instant now) {
    PodReport previous = byPod.get(pod);
    if (previous != null) {
      byPod.put(
          pod,
          new PodReport(
              pod, previous.podIP(), null, previous.lastSeen(), 0, PollFailure.NONE, now));
    }
  }

  /** A read-only view for the pass. */
  Map<String, PodReport> all() {
    return Collections.unmodifiableMap(byPod);
  }

  /** A read-only view of the pods heard from at least once. */
  Set<String> heardFrom() {
    return Collections.unmodifiableSet(heardFrom);
  }

  /**
   * What in a report can change a decision: the counts of failed polls and busy answers only up to
   * the threshold they are compared with ({@code PrimaryHealthAssessor}, {@code DataPods}; the
   * proof of death by refusals needs fewer, {@code InstanceEvidence}).
   */
  static List<Object> material(PodReport report, int failureThreshold) {
    if (report == null) {
      return List.of();
    }
    InstanceStatus s = report.status();
    List<Object> key = new ArrayList<>();
    key.add(String.valueOf(report.podIP()));
    key.add(Math.min(report.consecutiveFailures(), failureThreshold));
    key.add(report.lastFailure());
    // A primary's poll past its overdue time: the unreachable record is written at once.
    key.add(report.unansweredSince() != null);
    // A busy Redis counts towards the failure threshold like failed polls.
    key.add(Math.min(report.redisUnansweredPolls(), failureThreshold));
    if (s != null) {
      key.add(String.valueOf(s.role()));
      key.add(s.redisUp());
      key.add(String.valueOf(s.masterReplId()));
      key.add(String.valueOf(s.masterHost()));
      key.add(String.valueOf(s.masterPort()));
      key.add(String.valueOf(s.masterLinkUp()));
      // Whether a replica still vouches for a silent primary (PrimaryHealthAssessor).
      key.add(ReplicationLink.fresh(s.masterLastIoSecondsAgo()));
      key.add(s.fenced());
      key.add(s.selfFenced());
      key.add(String.valueOf(s.acl())); // an applied ACL generation can advance a password rotation
    }
    return key;
  }
}
