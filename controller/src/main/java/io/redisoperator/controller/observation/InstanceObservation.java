package io.redisoperator.controller.observation;

import io.redisoperator.protocol.agent.InstanceStatus;
import java.time.Instant;

/**
 * Everything the controller currently knows of one data instance: the pod as the API server reports
 * it and the last answers of its agent. Immutable; the pod actor and the informers produce new
 * ones.
 *
 * @param lastStatus last successful {@code /v1/status} answer, null if none yet
 * @param lastSeen when {@code lastStatus} was received, null if never
 * @param consecutiveFailures failed polls since the last success
 * @param specHashCurrent the pod's spec-hash annotation equals the desired one (false: needs a
 *     rolling update)
 * @param unansweredSince when the first poll unanswered since the last answer was sent (null while
 *     answering or unknown): the latest moment the controller may still have reached the agent
 * @param redisUnansweredPolls consecutive answers reporting Redis not answering while its process
 *     runs
 */
public record InstanceObservation(
    String podName,
    int ordinal,
    PodPhase podPhase,
    boolean podReady,
    String podIP,
    InstanceStatus lastStatus,
    Instant lastSeen,
    int consecutiveFailures,
    PollFailure lastFailure,
    boolean specHashCurrent,
    Instant unansweredSince,
    int redisUnansweredPolls) {

  /** An observation without poll timing detail (an instance that answers or was never polled). */
  public InstanceObservation(
      String podName,
      int ordinal,
      PodPhase podPhase,
      boolean podReady,
      String podIP,
      InstanceStatus lastStatus,
      Instant lastSeen,
      int consecutiveFailures,
      PollFailure lastFailure,
      boolean specHashCurrent) {
    this(
        podName,
        ordinal,
        podPhase,
        podReady,
        podIP,
        lastStatus,
        lastSeen,
        consecutiveFailures,
        lastFailure,
        specHashCurrent,
        null,
        0);
  }

  /** The agent answered the last poll and reports Redis up. */
  public boolean answering() {
    return consecutiveFailures == 0 && lastStatus != null && lastStatus.redisUp();
  }

  public long replicationOffsetOrZero() {
    return lastStatus == null || lastStatus.replicationOffset() == null
        ? 0
        : lastStatus.replicationOffset();
  }
}
