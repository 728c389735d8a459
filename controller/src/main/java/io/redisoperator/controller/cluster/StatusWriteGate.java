package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.controller.reconcile.StatusBuilder;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a pass's status goes out now, later or not at all. A decision is always written at once;
 * a status that changes nothing material never. Besides, two rules.
 *
 * <p><b>First reports.</b> A restarted controller (or a restarted cluster actor) confirms the
 * recorded status before it rewrites it. Until every data pod the status lists has been heard from
 * once by this actor ({@link #heardFrom}), a pass builds the status from missing reports: phase
 * Degraded, roles unknown, which the first answers flip straight back. Such a write is held, for at
 * most {@link #MAX_HOLD}; a change of {@code unreachableInstances} (the promotion gate counts from
 * that record) never is, so failover detection is not delayed.
 *
 * <p><b>Start-up hold.</b> A cluster being created (phase Creating recorded and still desired)
 * changes its status at every step of every pod: created, given an address, answering, ready, its
 * conditions. That progress alone ({@link StatusBuilder#onlyProgressDiffers}) is written {@link
 * #START_UP_HOLD} after the first pass that held it, folded into one write with whatever else
 * changed meanwhile (the pass a timer then runs builds the whole status again), unless the phase
 * settling carries it sooner: the phase settling (Healthy, or anything else) is written at once, so
 * a cluster never looks ready later than a pass found it so, and a cluster that becomes Healthy
 * within the hold writes its decision and its Healthy status, nothing between. A change of the
 * decision fields (unreachable, fenced) or of the generation observed is written at most once per
 * {@link #START_UP_SPACING}: the promotion gate counts from the unreachable record as written, so a
 * later record can only make a Creating cluster's failover later, never unsafe. Outside Creating
 * every material change goes at once, so a Healthy cluster's unreachable record is never delayed.
 * Only one write is in flight per cluster anyway: the actor runs one pass at a time.
 *
 * <p>Pure: the actor tells it the time of each confirmed write.
 */
final class StatusWriteGate {
  /**
   * Past this since the actor began observing, nothing is held for first reports: a pod that never
   * reports (no poller, no place for its first connection) does not freeze the status for good.
   */
  static final Duration MAX_HOLD = Duration.ofMinutes(5);

  /** A Creating cluster's writes other than its progress are at least this far apart. */
  static final Duration START_UP_SPACING = Duration.ofSeconds(5);

  /**
   * How long a Creating cluster's progress waits for the phase to settle. At N=100 on one core a
   * cluster takes 15 to 20 s from its first pod created to Healthy, at N=300 30 to 45 s: within the
   * hold its progress (the pods created and addressed, the primary ready, the replicas created)
   * rides on its Healthy write, where each step was a write of its own. A cluster stuck in Creating
   * (a replica that cannot be scheduled) shows its progress at most this late.
   */
  static final Duration START_UP_HOLD = Duration.ofSeconds(30);

  /** What to do with a pass's desired status. */
  enum When {
    /** Nothing goes out: nothing material changed, or first reports are awaited. */
    NONE,
    /** Write it now. */
    NOW,
    /** Not before {@link Verdict#at()}: a pass then builds it again with what changed since. */
    LATER
  }

  /**
   * @param at when a {@link When#LATER} write is due; null otherwise
   */
  record Verdict(When when, Instant at) {
    static final Verdict NONE = new Verdict(When.NONE, null);
    static final Verdict NOW = new Verdict(When.NOW, null);
  }

  private final Instant observingSince;
  private Instant lastWrite;

  /** The first pass whose Creating status was held since the last write; null: none. */
  private Instant heldSince;

  /**
   * @param observingSince when the cluster actor started
   */
  StatusWriteGate(Instant observingSince) {
    this.observingSince = observingSince;
  }

  /**
   * Whether {@code desired} is written over {@code recorded} now, later or not at all.
   *
   * @param decision the pass records a durable decision: always written at once
   * @param notYetReported what {@link #notYetReported} says of the pass's input
   */
  Verdict decide(
      RedisClusterStatus recorded,
      RedisClusterStatus desired,
      boolean decision,
      Set<String> notYetReported,
      Instant now) {
    if (decision) {
      return Verdict.NOW;
    }
    if (awaitsFirstReports(recorded, desired, notYetReported, now)
        || !StatusBuilder.materiallyDifferent(recorded, desired)) {
      heldSince = null;
      return Verdict.NONE;
    }
    if (!StatusBuilder.beingCreated(recorded)
        || desired.getPhase() != Phase.CREATING
        || lastWrite == null) {
      return Verdict.NOW;
    }
    if (heldSince == null) {
      heldSince = now;
    }
    Instant due = lastWrite.plus(START_UP_SPACING);
    if (StatusBuilder.onlyProgressDiffers(recorded, desired)) {
      Instant held = heldSince.plus(START_UP_HOLD);
      due = held.isAfter(due) ? held : due;
    }
    return now.isBefore(due) ? new Verdict(When.LATER, due) : Verdict.NOW;
  }

  /** A status write of this actor was confirmed at {@code at}. */
  void written(Instant at) {
    lastWrite = at;
    heldSince = null;
  }

  /** Whether the first-reports rule holds {@code desired} (it leaves the unreachable record). */
  private boolean awaitsFirstReports(
      RedisClusterStatus recorded,
      RedisClusterStatus desired,
      Set<String> notYetReported,
      Instant now) {
    return !notYetReported.isEmpty()
        && now.isBefore(observingSince.plus(MAX_HOLD))
        && Objects.equals(
            unreachable(recorded), desired == null ? List.of() : unreachable(desired));
  }

  /**
   * The data pods with an address that {@code recorded} lists and that this actor has not heard
   * from yet ({@code heardFrom}: {@link PodReports#heardFrom}): its first contact with them is
   * still to come (see also {@link PassPacing}). Computed once per pass.
   */
  static Set<String> notYetReported(
      List<Pod> pods, Set<String> heardFrom, RedisClusterStatus recorded) {
    if (recorded == null || recorded.getInstancesStatus() == null) {
      return Set.of();
    }
    Set<String> listed = unheardWithAddress(pods, heardFrom);
    listed.retainAll(recorded.getInstancesStatus().keySet());
    return listed;
  }

  /**
   * The pods whose first answers {@link PassPacing} paces: {@link #notYetReported}, and while the
   * cluster is being created every data pod with an address not heard from yet. A new cluster's
   * status lists its pods only once its progress is written ({@link #START_UP_HOLD}), and without
   * this its replicas' first answers each ran a pass at once on a core busy starting every other
   * cluster.
   */
  static Set<String> firstContactPending(
      List<Pod> pods, Set<String> heardFrom, RedisClusterStatus recorded) {
    return StatusBuilder.beingCreated(recorded)
        ? unheardWithAddress(pods, heardFrom)
        : notYetReported(pods, heardFrom, recorded);
  }

  /** The data pods with an address this actor has not heard from yet (a mutable set). */
  private static Set<String> unheardWithAddress(List<Pod> pods, Set<String> heardFrom) {
    return pods.stream()
        .filter(StatusWriteGate::dataPodWithAddress)
        .map(p -> p.getMetadata().getName())
        .filter(name -> !heardFrom.contains(name))
        .collect(Collectors.toCollection(HashSet::new));
  }

  /**
   * Whether {@code report} (null: none yet) says something the status may record for good: the
   * agent answered (once at least, even with an error status), or refused the connection (nothing
   * listens: its process is gone). A timed-out or overdue first poll proves nothing: on a
   * controller busy with its first contacts the answer is often only late, and the status written
   * meanwhile (the pod not ready, its role unknown) would flip back when it arrives.
   */
  static boolean heardFrom(PodReport report) {
    return report != null
        && (report.lastSeen() != null
            || report.lastFailure() == PollFailure.CONNECTION_REFUSED
            || report.lastFailure() == PollFailure.HTTP_ERROR);
  }

  private static boolean dataPodWithAddress(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null
        && Labels.WORKLOAD_DATA.equals(labels.get(Labels.WORKLOAD))
        && pod.getStatus() != null
        && pod.getStatus().getPodIP() != null;
  }

  private static List<String> unreachable(RedisClusterStatus status) {
    return status.getUnreachableInstances() == null ? List.of() : status.getUnreachableInstances();
  }
}
