package io.redisoperator.controller.pod;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.InstanceStatus;
import java.time.Instant;

/**
 * What a pod actor knows after each poll, sent to its cluster actor.
 *
 * @param podIP the address polled; a report for an old address is stale and ignored by the receiver
 * @param status last successful answer (kept across failures), null before the first success
 * @param lastSeen when {@code status} was received
 * @param consecutiveFailures failed polls since the last success
 * @param lastFailure why the latest poll failed, {@link PollFailure#NONE} when it succeeded
 * @param requestedAt when the poll this report is about was sent: an answer to an older request may
 *     describe the instance as it was before an operation whose result is already known
 * @param unansweredSince when the first poll that went unanswered since the last answer was sent
 *     (null while the agent answers): the latest moment that poll may have reached the agent, which
 *     the promotion gate counts from. A primary's poll is unanswered once it failed or, before
 *     that, once it is in flight past {@link PollSchedule#OVERDUE} (then {@code
 *     consecutiveFailures} is still 0)
 * @param redisUnansweredPolls consecutive answers in which the agent reported its Redis not
 *     answering while its process runs (or the agent did not say): a busy Redis, counted like
 *     failed polls
 */
public record PodReport(
    String podName,
    String podIP,
    InstanceStatus status,
    Instant lastSeen,
    int consecutiveFailures,
    PollFailure lastFailure,
    Instant requestedAt,
    Instant unansweredSince,
    int redisUnansweredPolls) {

  /** A report of an answer (or of no address): nothing unanswered, Redis counted as answering. */
  public PodReport(
      String podName,
      String podIP,
      InstanceStatus status,
      Instant lastSeen,
      int consecutiveFailures,
      PollFailure lastFailure,
      Instant requestedAt) {
    this(podName, podIP, status, lastSeen, consecutiveFailures, lastFailure, requestedAt, null, 0);
  }
}
