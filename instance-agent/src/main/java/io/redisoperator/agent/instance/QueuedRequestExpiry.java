package io.redisoperator.agent.instance;

import io.redisoperator.agent.instance.InstanceCommand.Promote;
import io.redisoperator.agent.instance.InstanceCommand.Request;
import io.redisoperator.agent.instance.InstanceCommand.Switchover;

/**
 * Whether a request that waited for the previous operation may still start: a promotion past its
 * caller's deadline, a switchover past its start-by time and any request past the agent's deadline
 * are answered instead of run, so nothing the controller gave up on happens later.
 */
final class QueuedRequestExpiry {
  private QueuedRequestExpiry() {}

  /**
   * The answer to a command that must not start at {@code nowNanos} ({@code MonotonicClock}
   * nanoseconds), or null when it may.
   */
  static Outcome refusal(InstanceCommand command, long nowNanos) {
    if (command instanceof Promote p && nowNanos - p.executeByNanos() >= 0) {
      return Outcome.expired(
          "the promotion's deadline passed while it waited for the previous operation; not promoted");
    }
    if (command instanceof Switchover sw && nowNanos - sw.startByNanos() >= 0) {
      return Outcome.expired(
          "the switchover waited longer than its handoff timeout for the previous operation; not started");
    }
    if (command instanceof Request r && nowNanos - r.deadlineNanos() >= 0) {
      return Outcome.timeout("expired while waiting for the previous operation; not executed");
    }
    return null;
  }
}
