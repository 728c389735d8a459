package io.redisoperator.controller.pod;

import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;

/**
 * Pure: what the next status request of a pod actor asks for and when it is sent. With an agent
 * that reports a status version, the request is a long-poll the agent holds until its status
 * changes, so the actor sends the next one as soon as an answer arrives: a change shows at once, an
 * unchanged agent costs one request per hold.
 *
 * <ul>
 *   <li>A primary (or an instance whose role is unknown, or whose Redis is down) is polled as
 *       before, answered at once, one interval apart: its polls are the contact that keeps it from
 *       fencing itself and the evidence the promotion gate counts from (docs/failover.md). Holding
 *       them one interval measured 2 to 3 times longer write gaps in partition failovers ({@code
 *       make bench-failover}), so they are not held.
 *   <li>A serving replica is held up to {@link #REPLICA_HOLD_INTERVALS} intervals: no self-fencing
 *       depends on its contact, its death closes the connection at once, and the cluster actor's
 *       urgent polls (before a failover's choice, after an operation) go beside a held poll.
 *   <li>After a failed poll, plain polls (answered at once) at the interval until the agent answers
 *       again, as before.
 *   <li>An agent without versions (before protocol version 3) is polled at the interval, as before.
 * </ul>
 *
 * The first poll of a new address waits a share of {@link #FIRST_POLL_RAMP} fixed by the pod's
 * name, so a controller starting with thousands of pods spreads its first polls instead of sending
 * them at once.
 */
public final class PollSchedule {
  /**
   * Long-polls are sent only with {@code -Dredisoperator.statusLongPoll=true}: with them on,
   * partition failovers measured slower ({@code make bench-failover}, docs/performance.md), so the
   * default polls every instance as before.
   */
  public static final String LONG_POLL_PROPERTY = "redisoperator.statusLongPoll";

  static final int REPLICA_HOLD_INTERVALS = 10;

  /** Below the poll connection's idle timeout (10 s) by more than a poll timeout. */
  static final Duration MAX_HOLD = Duration.ofSeconds(8);

  static final Duration FIRST_POLL_RAMP = Duration.ofSeconds(2);

  /**
   * Never two long-polls closer than this: a status flapping faster than this is seen at this pace.
   */
  static final Duration MIN_GAP = Duration.ofMillis(50);

  private PollSchedule() {}

  /** One status request: {@code since} null answers at once. */
  public record Request(String since, Duration hold) {
    static final Request AT_ONCE = new Request(null, Duration.ZERO);
  }

  /**
   * @param last the last answer (null: none yet)
   * @param version its status version (null: the agent reports none)
   * @param failedSinceAnswer the last poll failed
   */
  public static Request next(
      InstanceStatus last, String version, boolean failedSinceAnswer, Duration interval) {
    if (!Boolean.getBoolean(LONG_POLL_PROPERTY)
        || last == null
        || version == null
        || failedSinceAnswer
        || !servingReplica(last)) {
      return Request.AT_ONCE;
    }
    return new Request(version, hold(interval));
  }

  /**
   * Whether a held long-poll goes beside the plain polls, to see a change at once (a primary's
   * Redis that exited: {@code AgentIT#aHeldStatusRequestAnswersAtOnceWhenRedisDies}). Only for a
   * primary answering with a status version, whose plain polls are not held: those polls stay what
   * they are, the contact that keeps it from fencing itself and the promotion gate's evidence
   * (their timing, {@code unansweredSince}, is untouched); the watch's answer, or its failure, only
   * triggers a plain poll at once.
   *
   * @param plainHeld the plain polls are long-polls already (a serving replica with long-polls on)
   */
  public static boolean watchBeside(
      InstanceStatus last, String version, boolean failedSinceAnswer, boolean plainHeld) {
    return last != null
        && version != null
        && !failedSinceAnswer
        && !plainHeld
        && last.role() == InstanceRole.PRIMARY
        && last.redisUp();
  }

  static boolean servingReplica(InstanceStatus last) {
    return last.role() == InstanceRole.REPLICA && last.redisUp() && !last.redisProcessDead();
  }

  static Duration hold(Duration interval) {
    Duration longer = interval.multipliedBy(REPLICA_HOLD_INTERVALS);
    return longer.compareTo(MAX_HOLD) > 0 ? MAX_HOLD : longer;
  }

  /**
   * How long after a poll's outcome the next one is sent.
   *
   * @param elapsed how long the poll took
   * @param nextHeld the next poll is a long-poll (the agent holds it until a change or the end of
   *     the hold)
   */
  public static Duration delayAfter(
      boolean answered, boolean nextHeld, Duration elapsed, Duration interval) {
    Duration wait = answered && nextHeld ? MIN_GAP.minus(elapsed) : interval.minus(elapsed);
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /**
   * The first poll of {@code podName}'s new address: spread over the ramp by the name, the same on
   * every start.
   */
  public static Duration firstPollDelay(String podName, Duration interval) {
    Duration ramp = FIRST_POLL_RAMP.compareTo(interval) < 0 ? FIRST_POLL_RAMP : interval;
    long slot = Math.floorMod(podName.hashCode() * 2654435761L, 1000L);
    return Duration.ofMillis(ramp.toMillis() * slot / 1000);
  }
}
