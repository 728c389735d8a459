package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.time.Instant;

/**
 * What the controller can prove about one instance's ability to accept writes. Shared by the health assessor and the
 * promotion gate so both read the evidence the same way.
 */
final class InstanceEvidence {
  private InstanceEvidence() {}

  /** Consecutive refused connections that count as proof the agent process is gone (never a single failed poll). */
  static final int REFUSALS_FOR_PROOF = 2;

  /** The pod is not there to run anything: missing, being deleted or its containers ended. */
  static boolean podGone(InstanceObservation instance) {
    return instance == null
        || instance.podPhase() == PodPhase.MISSING
        || instance.podPhase() == PodPhase.TERMINATING
        || instance.podPhase() == PodPhase.FAILED;
  }

  /**
   * The agent answered the last poll (whatever it said about Redis) and its pod still exists: the last answer of a
   * deleted pod is history, not a live agent.
   */
  static boolean agentAnswered(InstanceObservation instance) {
    return instance != null
        && instance.podPhase() != PodPhase.MISSING
        && instance.consecutiveFailures() == 0
        && instance.lastStatus() != null;
  }

  /** A live agent reports its Redis is not running. */
  static boolean redisReportedDown(InstanceObservation instance) {
    return agentAnswered(instance) && !instance.lastStatus().redisUp();
  }

  /** The agent's port refused connections on the last polls: nothing listens, the process is gone. */
  static boolean connectionRefused(InstanceObservation instance) {
    return instance != null
        && instance.lastFailure() == PollFailure.CONNECTION_REFUSED
        && instance.consecutiveFailures() >= REFUSALS_FOR_PROOF;
  }

  /** The latest answer says writes are refused: fenced by the controller, a human or itself. */
  static boolean fenceAcknowledged(InstanceObservation instance) {
    return agentAnswered(instance) && (instance.lastStatus().fenced() || instance.lastStatus().selfFenced());
  }

  /** The agent answered just now with an unfenced Redis in role primary: it accepts writes. */
  static boolean writablePrimary(InstanceObservation instance) {
    return agentAnswered(instance)
        && instance.lastStatus().redisUp()
        && instance.lastStatus().role() == InstanceRole.PRIMARY
        && !fenceAcknowledged(instance);
  }

  /**
   * Proof that the instance cannot accept writes now. A terminating pod whose agent still answers with a writable
   * Redis is not proof: a graceful shutdown or a force delete on an unreachable node can leave it running.
   */
  static boolean provenUnwritable(InstanceObservation instance) {
    if (instance == null) {
      return true;
    }
    if (writablePrimary(instance)) {
      return false;
    }
    return podGone(instance)
        || redisReportedDown(instance)
        || connectionRefused(instance)
        || fenceAcknowledged(instance)
        || agentAnswered(instance) && instance.lastStatus().role() == InstanceRole.REPLICA;
  }

  /**
   * The latest moment the instance may still have been in contact with the outside world, as far as the controller
   * can tell. A partition can begin right after the last answer and stay unnoticed until the next poll, so the bound
   * is the last answer plus one poll interval. Without any answer since the operator started, the first failed poll is
   * the earliest the controller saw trouble, so that is the bound.
   */
  static Instant latestPossibleContact(InstanceObservation instance, Duration pollInterval, Instant now) {
    if (instance == null || agentAnswered(instance)) {
      return now;
    }
    if (instance.lastSeen() != null) {
      Instant bound = instance.lastSeen().plus(pollInterval);
      return bound.isAfter(now) ? now : bound;
    }
    long failedPolls = Math.max(0, instance.consecutiveFailures() - 1);
    return now.minus(pollInterval.multipliedBy(failedPolls));
  }
}
