package io.redisoperator.controller.cluster;

import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * When the pass a pod report asks for runs. A restarted controller (or a restarted cluster actor)
 * hears every pod's first answer one by one, and each ran a pass of its own on a core that was busy
 * contacting every other pod (docs/performance.md, "Restart"); none of those passes can write the
 * status before every pod has reported ({@link StatusWriteGate}). So during that first contact a
 * report that shows nothing wrong with the primary is <em>paced</em>: its pass starts no sooner
 * than {@link #WINDOW} after the last one started, folded with every other report that arrives
 * meanwhile, and the report that completes the first contact ({@link StatusWriteGate#heardFrom}: a
 * timed-out poll does not) runs its pass at once. A cluster being created has a first contact too:
 * its pods' first answers ({@link StatusWriteGate#firstContactPending}), which a start-up of many
 * clusters hears on a busy core just the same.
 *
 * <p>Never paced, so failover detection waits for nothing: a report of the recorded primary that is
 * not a clean answer as primary (a failed or overdue poll, Redis down or busy, another role, a
 * fence), any other pod answering as primary, a pod whose answer the last pass asked for ({@code
 * Plan.pollNow}, awaited by a decision), and every report while the recorded primary's latest
 * report is not clean. Outside the first contact (and past {@link StatusWriteGate#MAX_HOLD} after
 * the actor started) nothing is paced. Confined to the cluster actor; decides, never schedules.
 */
final class PassPacing {
  /**
   * The least time between the starts of two passes asked for by paced reports while the cluster is
   * being created (its steps follow its pods' first answers).
   */
  static final Duration WINDOW = Duration.ofSeconds(1);

  /**
   * The same for a cluster taken up again (a restarted controller or actor): until its first
   * contact completes, a paced pass can write nothing ({@link StatusWriteGate}) and finds what the
   * first pass found; at 1000 clusters this window took a fifth to a third of a restart's passes
   * off the one busy core (docs/performance.md, "Restart").
   */
  static final Duration RESUMED_WINDOW = Duration.ofSeconds(5);

  private final Instant observingSince;

  /** Data pods the status lists with an address that have not reported to this actor yet. */
  private final Set<String> notYetReported = new HashSet<>();

  /** Pods whose answers the last pass asked for at once. */
  private final Set<String> awaited = new HashSet<>();

  private Instant lastStart;
  private Duration window = WINDOW;

  /**
   * @param observingSince when the cluster actor started
   */
  PassPacing(Instant observingSince) {
    this.observingSince = observingSince;
  }

  /**
   * A pass starts now.
   *
   * @param notYetReported what {@link StatusWriteGate#firstContactPending} says of the pass's input
   * @param pollNow the pods the pass polls at once
   * @param resumed whether the cluster is past its creation ({@link #RESUMED_WINDOW})
   */
  void started(
      Instant now, Collection<String> notYetReported, List<String> pollNow, boolean resumed) {
    lastStart = now;
    window = resumed ? RESUMED_WINDOW : WINDOW;
    this.notYetReported.clear();
    this.notYetReported.addAll(notYetReported);
    awaited.clear();
    awaited.addAll(pollNow);
  }

  /**
   * How long the pass {@code report} asks for waits ({@link Duration#ZERO}: at once).
   *
   * @param primaryReport the recorded primary's latest report (null: none yet), {@code report}
   *     itself when it is the primary's
   * @param recordedPrimary the status's current primary (null: none)
   */
  Duration delay(PodReport report, PodReport primaryReport, String recordedPrimary, Instant now) {
    boolean completes =
        StatusWriteGate.heardFrom(report)
            && notYetReported.remove(report.podName())
            && notYetReported.isEmpty();
    if (completes
        || notYetReported.isEmpty()
        || !now.isBefore(observingSince.plus(StatusWriteGate.MAX_HOLD))
        || urgent(report, primaryReport, recordedPrimary)) {
      return Duration.ZERO;
    }
    return pacedDelay(now);
  }

  /**
   * How long a paced pass still waits: until {@link #WINDOW} (or {@link #RESUMED_WINDOW}) after the
   * last pass started.
   */
  Duration pacedDelay(Instant now) {
    if (lastStart == null) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(now, lastStart.plus(window));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private boolean urgent(PodReport report, PodReport primaryReport, String recordedPrimary) {
    if (awaited.contains(report.podName())) {
      return true;
    }
    if (report.podName().equals(recordedPrimary)) {
      return !cleanPrimary(report);
    }
    if (recordedPrimary != null && !cleanPrimary(primaryReport)) {
      return true; // the primary may be failing: what its replicas say is evidence
    }
    return report.status() != null && report.status().role() == InstanceRole.PRIMARY;
  }

  /**
   * The recorded primary's report says all is well: it answered its last poll as an unfenced
   * primary whose Redis answers. Null (not heard from yet) is not a problem of its own: its first
   * poll's outcome is.
   */
  static boolean cleanPrimary(PodReport report) {
    if (report == null) {
      return true;
    }
    InstanceStatus s = report.status();
    return s != null
        && report.consecutiveFailures() == 0
        && report.unansweredSince() == null
        && report.redisUnansweredPolls() == 0
        && s.role() == InstanceRole.PRIMARY
        && s.redisUp()
        && !s.fenced()
        && !s.selfFenced()
        && Objects.equals(
            report.lastFailure(), io.redisoperator.controller.observation.PollFailure.NONE);
  }
}
