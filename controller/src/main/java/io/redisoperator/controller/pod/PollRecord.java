package io.redisoperator.controller.pod;

import io.redisoperator.controller.agent.AgentClient.VersionedStatus;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.StatusVersions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a pod actor remembers of one pod incarnation's polls, and the {@link PodReport} it makes of
 * them: the last answer and its status version, consecutive failures, when the first unanswered
 * poll was sent, and how many answers in a row said Redis did not answer its agent.
 */
final class PollRecord {
  private InstanceStatus lastStatus;
  private String version;
  private Instant lastSeen;
  private int consecutiveFailures;

  /**
   * Send time of the first poll left unanswered since the last answer; null while the agent
   * answers.
   */
  private Instant unansweredSince;

  private int redisUnansweredPolls;

  /**
   * The newest status version answered so far, and the latest date an answer's report carried
   * ({@link #answered}).
   */
  private String newestVersion;

  private Instant latestDate;

  /** A new incarnation: what the previous one said no longer describes it. */
  void reset() {
    lastStatus = null;
    version = null;
    lastSeen = null;
    consecutiveFailures = 0;
    unansweredSince = null;
    redisUnansweredPolls = 0;
    newestVersion = null;
    latestDate = null;
  }

  /**
   * Records an answer, unless the agent read it before one already recorded.
   *
   * @param requestedAt when the answered request was sent
   * @return the request time its report carries ({@link PodReport#requestedAt}; the cluster actor
   *     drops a report asked before one it took, as it may describe the instance as it was), or
   *     empty: the answer's status version is older than one recorded already ({@link
   *     StatusVersions#isNewer}), it is neither recorded nor reported. An answer whose version is
   *     newer than every one recorded describes the agent after all of them, whenever it was asked:
   *     it is dated no earlier than any of them. That is a long-poll held beside an urgent poll,
   *     answered when the status changed after the urgent answer: dated by its own send time, the
   *     answer that showed a replica's link gone stale in a partition was dropped after the
   *     failover's recheck of that replica, and the next long-poll, held on the new version, kept
   *     the recheck's report (which still vouched for the cut-off primary) to the end of its hold.
   */
  Optional<Instant> answered(
      InstanceStatus status, String statusVersion, Instant at, Instant requestedAt) {
    if (StatusVersions.isNewer(newestVersion, statusVersion)) {
      return Optional.empty();
    }
    Instant dated =
        StatusVersions.isNewer(statusVersion, newestVersion) && latestDate.isAfter(requestedAt)
            ? latestDate
            : requestedAt;
    apply(status, statusVersion, at);
    newestVersion = statusVersion;
    latestDate = latestDate == null || dated.isAfter(latestDate) ? dated : latestDate;
    return Optional.of(dated);
  }

  private void apply(InstanceStatus status, String statusVersion, Instant at) {
    lastStatus = status;
    version = statusVersion;
    lastSeen = at;
    consecutiveFailures = 0;
    unansweredSince = null;
    // Only a dead process is proof; a Redis that does not answer INFO in time may just be busy.
    boolean redisUnanswered = status != null && !status.redisUp() && !status.redisProcessDead();
    redisUnansweredPolls = redisUnanswered ? redisUnansweredPolls + 1 : 0;
  }

  /**
   * @param requestedAt when the failed poll was sent
   */
  void failed(Instant requestedAt) {
    consecutiveFailures++;
    if (unansweredSince == null) {
      // Later polls would have to cross whatever stopped this one: this is the last request that
      // may have arrived.
      unansweredSince = requestedAt;
    }
  }

  /**
   * Records a poll's outcome: the report it makes, or empty when its answer is older than one
   * recorded already ({@link #answered}).
   *
   * @param answer the answer, null when the poll failed ({@code failure} says how)
   * @param now when the answer reached the actor
   */
  Optional<PodReport> polled(
      String podName,
      String podIP,
      VersionedStatus answer,
      PollFailure failure,
      Instant requestedAt,
      Instant now) {
    Optional<Instant> dated;
    if (answer != null) {
      dated = answered(answer.status(), answer.version(), now, requestedAt);
    } else {
      failed(requestedAt);
      dated = Optional.of(requestedAt);
    }
    return dated.map(at -> report(podName, podIP, failure, at));
  }

  /**
   * A poll sent at {@code requestedAt} is past {@link PollSchedule#OVERDUE} without an answer: the
   * first unanswered poll is known before it times out. Unless its answer has arrived and only
   * waits for the actor (a controller whose dispatcher is busy, as after a restart, handles the
   * overdue timer first): the agent answered in time, and recording it unreachable would only cost
   * a status write and its removal.
   *
   * @param answerArrived the poll's call has completed
   * @return whether this changed the record (it was answering)
   */
  boolean overdue(Instant requestedAt, boolean answerArrived) {
    if (unansweredSince != null || answerArrived) {
      return false;
    }
    unansweredSince = requestedAt;
    return true;
  }

  PodReport report(String podName, String podIP, PollFailure failure, Instant requestedAt) {
    return new PodReport(
        podName,
        podIP,
        lastStatus,
        lastSeen,
        consecutiveFailures,
        failure,
        requestedAt,
        unansweredSince,
        redisUnansweredPolls);
  }

  /**
   * The next request: a long-poll from the last version, or a plain poll (see {@link
   * PollSchedule}).
   */
  PollSchedule.Request nextRequest(Duration interval) {
    return PollSchedule.next(lastStatus, version, consecutiveFailures > 0, interval);
  }

  /**
   * The period of the plain polls now (see {@link PollSchedule#plainInterval(InstanceStatus,
   * boolean, Duration, boolean)}).
   */
  Duration plainInterval(Duration interval, boolean firstContactsWaiting) {
    return PollSchedule.plainInterval(
        lastStatus, consecutiveFailures > 0, interval, firstContactsWaiting);
  }

  /**
   * When the plain poll sent now is reported unanswered (see {@link
   * PollSchedule#overdueAfter(InstanceStatus, boolean, Duration, boolean)}).
   */
  Optional<Duration> overdueAfter(Duration timeout, boolean firstContactsWaiting) {
    return PollSchedule.overdueAfter(
        lastStatus, consecutiveFailures > 0, timeout, firstContactsWaiting);
  }

  /** Whether a watch goes beside the plain polls now (see {@link PollSchedule#watchBeside}). */
  boolean watchBeside(Duration interval) {
    return PollSchedule.watchBeside(
        lastStatus, version, consecutiveFailures > 0, nextRequest(interval).since() != null);
  }

  /** Whether the last poll failed (its connection, if any, was reset). */
  boolean failedSinceAnswer() {
    return consecutiveFailures > 0;
  }

  /** Whether the last answer said primary. */
  boolean answeredAsPrimary() {
    return lastStatus != null
        && lastStatus.role() == io.redisoperator.protocol.crd.InstanceRole.PRIMARY;
  }

  /** Whether this incarnation answered a poll at least once. */
  boolean answeredOnce() {
    return lastSeen != null;
  }

  /**
   * The last answer and its version, for a poll the agent may answer "unchanged" ({@link
   * io.redisoperator.controller.agent.AgentClient#watchStatus(io.redisoperator.controller.agent.AgentEndpoint,
   * String, java.time.Duration, java.time.Duration, VersionedStatus)}); null before an answer with
   * a version.
   */
  VersionedStatus known() {
    return lastStatus == null || version == null ? null : new VersionedStatus(lastStatus, version);
  }

  /** The status version of the last answer (null: none, or the agent reports none). */
  String version() {
    return version;
  }
}
