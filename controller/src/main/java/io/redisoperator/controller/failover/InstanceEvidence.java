package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.time.Instant;

/**
 * What the controller can prove about one instance's ability to accept writes. Shared by the health
 * assessor and the promotion gate so both read the evidence the same way. Only a process known to
 * be gone is proof of death: a pod object that disappeared, an agent that is silent or a Redis that
 * does not answer INFO in time may all belong to a process that still serves its clients.
 */
final class InstanceEvidence {
  private InstanceEvidence() {}

  /**
   * Consecutive refused connections of a pod that still exists that count as proof (never a single
   * failed poll).
   */
  static final int REFUSALS_FOR_PROOF = 2;

  /**
   * The pod object is missing, being deleted or its containers ended: nothing says its processes
   * are gone yet.
   */
  static boolean podGone(InstanceObservation instance) {
    return instance == null
        || instance.podPhase() == PodPhase.MISSING
        || instance.podPhase() == PodPhase.TERMINATING
        || instance.podPhase() == PodPhase.FAILED;
  }

  /**
   * The agent answered the last poll (whatever it said about Redis) and its pod still exists: the
   * last answer of a deleted pod is history, not a live agent.
   */
  static boolean agentAnswered(InstanceObservation instance) {
    return instance != null
        && instance.podPhase() != PodPhase.MISSING
        && instance.consecutiveFailures() == 0
        && instance.lastStatus() != null;
  }

  /** A live agent reports that its redis-server process is not running (it saw the child exit). */
  static boolean redisProcessDead(InstanceObservation instance) {
    return agentAnswered(instance) && instance.lastStatus().redisProcessDead();
  }

  /**
   * A live agent reports Redis not answering while its process runs (or it does not say): maybe
   * only busy.
   */
  static boolean redisUnanswered(InstanceObservation instance) {
    return agentAnswered(instance)
        && !instance.lastStatus().redisUp()
        && !instance.lastStatus().redisProcessDead();
  }

  /**
   * Nothing listens at the instance's address any more: the processes are gone. A pod that is gone
   * (or going) needs one refusal of its last address; a pod that still exists needs {@link
   * #REFUSALS_FOR_PROOF} in a row, so that one agent restart is not read as death, and an agent at
   * that address that answered before: a pod recreated under the same name (a new address, nothing
   * answered there yet) refuses while it starts, which says nothing about the processes of the
   * incarnation before it, still running on an unreachable node perhaps. Kubernetes' Failed phase
   * is the kubelet's report that every container ended.
   */
  static boolean processesGone(InstanceObservation instance) {
    if (instance == null) {
      return false;
    }
    if (instance.podPhase() == PodPhase.FAILED) {
      return true;
    }
    boolean refused =
        instance.lastFailure() == PollFailure.CONNECTION_REFUSED && instance.podIP() != null;
    if (podGone(instance)) {
      return refused && instance.consecutiveFailures() >= 1;
    }
    return refused
        && instance.lastSeen() != null
        && instance.consecutiveFailures() >= REFUSALS_FOR_PROOF;
  }

  /**
   * Proof that the instance's Redis is not running: its processes are gone, or its agent saw Redis
   * exit.
   */
  static boolean deathProven(InstanceObservation instance) {
    return processesGone(instance) || redisProcessDead(instance);
  }

  /** The latest answer says writes are refused: fenced by the controller, a human or itself. */
  static boolean fenceAcknowledged(InstanceObservation instance) {
    return agentAnswered(instance)
        && (instance.lastStatus().fenced() || instance.lastStatus().selfFenced());
  }

  /** The agent answered just now with an unfenced Redis in role primary: it accepts writes. */
  static boolean writablePrimary(InstanceObservation instance) {
    return agentAnswered(instance)
        && instance.lastStatus().redisUp()
        && instance.lastStatus().role() == InstanceRole.PRIMARY
        && !fenceAcknowledged(instance);
  }

  /**
   * Proof that the instance cannot accept writes now: its Redis is dead, it acknowledged a fence,
   * or it answers as a replica. A pod that is gone or terminating proves nothing by itself (a force
   * delete on an unreachable node leaves its processes running); nor does a Redis that does not
   * answer INFO (it may be busy, and resume).
   */
  static boolean provenUnwritable(InstanceObservation instance) {
    if (instance == null) {
      return true; // no pod and nothing ever polled: nothing to wait for
    }
    if (writablePrimary(instance)) {
      return false;
    }
    return deathProven(instance)
        || fenceAcknowledged(instance)
        || agentAnswered(instance)
            && instance.lastStatus().redisUp()
            && instance.lastStatus().role() == InstanceRole.REPLICA;
  }

  /**
   * The latest moment the instance may still have been in contact with the controller, as far as
   * the controller can tell. An agent that answers is in contact now. Otherwise it is when the
   * first poll left unanswered since its last answer was sent: a later poll would have to cross
   * whatever stopped that one. Without that, the last answer plus one poll interval (the next poll
   * leaves by then); without any answer since the operator started, the first failed poll,
   * estimated from the failure count; never polled at all (a pod gone with no address to poll), the
   * moment this controller started observing: whatever contact it had was with a predecessor, gone
   * by then. (Answering "now" for it moved the bound with every pass: a restarted controller never
   * failed over from a lost node.)
   */
  static Instant latestPossibleContact(
      InstanceObservation instance, Duration pollInterval, Instant now, Instant observingSince) {
    if (instance == null || agentAnswered(instance)) {
      return now;
    }
    if (instance.unansweredSince() != null) {
      return instance.unansweredSince().isAfter(now) ? now : instance.unansweredSince();
    }
    if (instance.lastSeen() != null) {
      Instant bound = instance.lastSeen().plus(pollInterval);
      return bound.isAfter(now) ? now : bound;
    }
    if (instance.consecutiveFailures() == 0) {
      return observingSince.isAfter(now) ? now : observingSince;
    }
    long failedPolls = instance.consecutiveFailures() - 1;
    return now.minus(pollInterval.multipliedBy(failedPolls));
  }
}
