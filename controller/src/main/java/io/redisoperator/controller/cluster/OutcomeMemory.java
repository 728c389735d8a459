package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.reconcile.Action;
import io.redisoperator.controller.reconcile.Durable;
import io.redisoperator.controller.reconcile.SwitchoverMemory;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.event.EventReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What finished actions teach the cluster actor: its own writes the cache has not shown yet (the
 * {@link Overlay}), fresher reports from agent answers, and the switchover in flight. Each lesson
 * comes with what the actor should do about it ({@link Followup}); when to do it stays the actor's.
 */
final class OutcomeMemory {

  /**
   * @param failed the action failed in a way worth a retry
   * @param replan the outcome enables the next step: plan it now
   * @param cluster the cluster as the actor's own edit left it (its echo is not news), or null
   * @param pollNow a pod whose poller should poll now rather than at its interval, or null
   * @param emit an event to tell the user, or null
   */
  record Followup(
      boolean failed, boolean replan, RedisCluster cluster, String pollNow, Action.Emit emit) {
    static final Followup NOTHING = new Followup(false, false, null, null, null);
    static final Followup RETRY = new Followup(true, false, null, null, null);
    static final Followup REPLAN = new Followup(false, true, null, null, null);
  }

  private final PodReports reports;
  private final AgentOpCooldown cooldown;
  private final Logger log;
  private final Overlay overlay = new Overlay();
  private SwitchoverMemory switchover = SwitchoverMemory.NONE;

  OutcomeMemory(PodReports reports, AgentOpCooldown cooldown, Logger log) {
    this.reports = reports;
    this.cooldown = cooldown;
    this.log = log;
  }

  /** The cache's objects with the actor's own pending writes laid over them. */
  Map<Class<? extends HasMetadata>, List<HasMetadata>> withPendingWrites(
      Map<Class<? extends HasMetadata>, List<HasMetadata>> cache, Instant now) {
    return overlay.apply(cache, now);
  }

  /**
   * The memory of the switchover {@code durable} records in flight; one recorded, abandoned or
   * replaced is forgotten, so a new request starts from zero.
   */
  SwitchoverMemory switchover(Durable durable) {
    if (!switchover.describes(durable)) {
      switchover = SwitchoverMemory.NONE;
    }
    return switchover;
  }

  /** Learns from an awaited action of a pass. */
  Followup learn(ActionOutcome outcome, Instant now) {
    Action action = outcome.action();
    if (!outcome.ok()) {
      return failed(action, outcome.failure());
    }
    if (action instanceof Action.Create create) {
      HasMetadata object = create.object();
      overlay.written(
          object.getClass(), object.getMetadata().getName(), null, outcome.after(), now);
    } else if (action instanceof Action.Patch && outcome.after() instanceof RedisCluster patched) {
      // Our own annotation edit (a consumed request): what it was consumed for (e.g. abandoning a
      // switchover) is planned right away.
      return new Followup(false, true, patched, null, null);
    } else if (action instanceof Action.Patch patch) {
      overlay.written(patch.kind(), patch.name(), outcome.before(), outcome.after(), now);
    } else if (action instanceof Action.Delete delete && outcome.before() != null) {
      overlay.written(delete.kind(), delete.name(), outcome.before(), null, now);
    } else if (action instanceof Action.Promote promote
        && outcome.result() instanceof OperationResult result) {
      reports.refresh(promote.pod(), result.status(), now);
      // The answer says it is primary now: record it in the next pass (its polls will look
      // unchanged, so nothing else would trigger one).
      return new Followup(false, true, null, promote.pod(), null);
    } else if (action instanceof Action.Switchover handoff) {
      log.info(
          "switchover {} -> {} confirmed by {}'s agent",
          handoff.primary(),
          handoff.target(),
          handoff.primary());
      // What the old primary said before the handover is stale now: it would look like a second
      // primary. Its agent's answer is the proof the target took over: status and labels follow
      // in the next pass.
      reports.forgetStatus(handoff.primary(), now);
      switchover = SwitchoverMemory.handedOver(handoff.primary(), handoff.target());
      return new Followup(false, true, null, handoff.target(), null);
    }
    return Followup.NOTHING;
  }

  private Followup failed(Action action, Throwable failure) {
    if (action instanceof Action.Create && KubeGateway.isCode(failure, 409)) {
      return Followup.NOTHING; // it exists already; the cache will show it
    }
    if (action instanceof Action.Delete && KubeGateway.isCode(failure, 404)) {
      return Followup.NOTHING;
    }
    log.warn("{} failed: {}", action.describe(), failure.getMessage());
    if (action instanceof Action.Switchover handoff) {
      // Counted: the switchover step abandons after a few.
      switchover = switchover.failed(handoff.primary(), handoff.target(), failure.getMessage());
      return new Followup(
          true,
          false,
          null,
          null,
          new Action.Emit(EventReason.SWITCHOVER_FAILED, switchover.failureNote()));
    }
    return Followup.RETRY;
  }

  /**
   * Learns from an agent operation the pass did not await: its answer carries the instance's fresh
   * status, as good as a poll and sooner.
   */
  Followup learnFromAgent(String cooldownKey, ActionOutcome outcome, Instant now) {
    if (!outcome.ok()) {
      log.warn("{} failed: {}", outcome.action().describe(), outcome.failure().getMessage());
      if (AgentCallException.classify(outcome.failure()) != PollFailure.TIMEOUT) {
        cooldown.refused(cooldownKey); // a clear refusal may be retried on the next pass
      }
      return Followup.NOTHING;
    }
    if (outcome.action() instanceof Action.AgentOperation operation
        && outcome.result() instanceof OperationResult result) {
      reports.refresh(operation.pod(), result.status(), now);
      return Followup.REPLAN;
    }
    return Followup.NOTHING;
  }
}
