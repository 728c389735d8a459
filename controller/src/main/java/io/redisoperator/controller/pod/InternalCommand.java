package io.redisoperator.controller.pod;

import io.redisoperator.controller.agent.AgentClient.VersionedStatus;
import java.time.Instant;

/**
 * The {@link PodActor}'s messages to itself: its timers, its calls' outcomes and its turn among the
 * new connections.
 */
sealed interface InternalCommand extends PodCommand {

  enum Poll implements InternalCommand {
    INSTANCE
  }

  /**
   * @param urgent sent beside a held long-poll; the held one schedules the next poll
   */
  record Polled(
      String podIP,
      VersionedStatus answer,
      Throwable failure,
      long startedNanos,
      Instant requestedAt,
      boolean urgent)
      implements InternalCommand {}

  /**
   * The watch's answer (or failure). Neither is reported: a held request's silence is no missed
   * poll, and its answer only says that the status changed.
   */
  record Watched(String podIP, VersionedStatus answer, Throwable failure)
      implements InternalCommand {}

  enum Watch implements InternalCommand {
    INSTANCE
  }

  /** This pod's turn among the new connections came. */
  enum ContactGranted implements InternalCommand {
    INSTANCE
  }

  /**
   * The plain poll sent at {@code requestedAt} to {@code podIP} is past its overdue time, which was
   * {@code due} (later than {@link PollSchedule#OVERDUE} after the request when deferred).
   */
  record Overdue(String podIP, Instant requestedAt, Instant due) implements InternalCommand {}
}
