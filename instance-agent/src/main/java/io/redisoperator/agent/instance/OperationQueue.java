package io.redisoperator.agent.instance;

import io.redisoperator.agent.instance.InstanceCommand.Request;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link InstanceActor}'s one-at-a-time rule: the operation in flight (the busy state that
 * holds every other back until its end arrives as a message), the commands stashed behind it, and
 * the refusal of a queued request whose deadline passed ({@link QueuedRequestExpiry}).
 */
final class OperationQueue {
  private static final Logger log = LoggerFactory.getLogger(OperationQueue.class);

  /** What the actor started and when. */
  private record Running(String operation, long sinceMillis) {}

  private final StashBuffer<InstanceCommand> stash;
  private final LongSupplier nanos;
  private final LongSupplier nowMillis;

  /** The operation in flight, until its end arrives as a message; null while idle. */
  private Running running;

  private long lastFinishedMillis;

  /**
   * @param nanos the monotonic nanoseconds requests' deadlines are measured on
   * @param nowMillis the agent's clock, for when operations start and end
   */
  OperationQueue(StashBuffer<InstanceCommand> stash, LongSupplier nanos, LongSupplier nowMillis) {
    this.stash = stash;
    this.nanos = nanos;
    this.nowMillis = nowMillis;
  }

  boolean busy() {
    return running != null;
  }

  /** When the last operation ended; 0 before the first. */
  long lastFinishedMillis() {
    return lastFinishedMillis;
  }

  /**
   * Operations never overlap: while one runs, the next waits in the stash. {@code start} answers
   * whether it started an operation (whose end arrives as a message, then {@link #finish}); one
   * with nothing left to do leaves the queue idle.
   */
  void offer(InstanceCommand command, BooleanSupplier start) {
    if (running != null) {
      if (stash.isFull()) {
        log.warn(
            "operation queue full behind {} (running for {} ms), dropping {}",
            running.operation(),
            nowMillis.getAsLong() - running.sinceMillis(),
            command.getClass().getSimpleName());
        if (command instanceof Request r) {
          r.replyTo().tell(Outcome.unavailable("agent busy: too many queued operations"));
        }
      } else {
        stash.stash(command);
      }
      return;
    }
    Outcome refusal = QueuedRequestExpiry.refusal(command, nanos.getAsLong());
    if (refusal != null) {
      log.warn(
          "{} expired while queued; not run ({})",
          command.getClass().getSimpleName(),
          refusal.httpStatus());
      ((Request) command).replyTo().tell(refusal);
      return;
    }
    if (start.getAsBoolean()) {
      running = new Running(command.getClass().getSimpleName(), nowMillis.getAsLong());
    }
  }

  /** The operation in flight ended: the stashed commands are offered again, in order. */
  Behavior<InstanceCommand> finish(Behavior<InstanceCommand> behavior) {
    running = null;
    lastFinishedMillis = nowMillis.getAsLong();
    return stash.unstashAll(behavior);
  }
}
