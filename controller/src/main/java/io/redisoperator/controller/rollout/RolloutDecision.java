package io.redisoperator.controller.rollout;

import io.redisoperator.controller.failover.SwitchoverPlan;

/**
 * The next action of a rolling update driven by the pod spec hash; the cluster actor executes
 * exactly one.
 */
public sealed interface RolloutDecision {

  /** Every pod runs the current spec. */
  record Done() implements RolloutDecision {}

  /** Delete this outdated replica; the controller recreates it on its PVC with the current spec. */
  record RecreateReplica(String pod) implements RolloutDecision {}

  /**
   * Nothing may be restarted until {@code pod} is settled (null when the blocker is not one pod).
   */
  record WaitFor(String pod, String reason) implements RolloutDecision {}

  /**
   * A replica to wait on (to settle, or to take over from the outdated primary) looks too far
   * behind only as of an answer older than the primary's (a long-polled replica): poll {@code pod}
   * now and decide on its answer.
   */
  record PollCandidate(String pod, String reason) implements RolloutDecision {}

  /**
   * Only the primary is outdated: hand its role to the most caught-up replica first (approval
   * consumed here).
   */
  record SwitchoverPrimary(SwitchoverPlan plan) implements RolloutDecision {}

  /**
   * primaryUpdateStrategy supervised: phase WaitingForUser until the approval annotation is set.
   */
  record AwaitApproval(String primary, String reason) implements RolloutDecision {}

  /**
   * The last outdated pod is a replica while the primary is up to date: after the switchover this
   * is the former primary. Recreated like any replica; a separate step so events and the phase say
   * what happens.
   */
  record RecreateFormerPrimary(String pod) implements RolloutDecision {}

  /**
   * A single-instance cluster: the only pod is recreated in place (a short outage nobody can
   * avoid).
   */
  record RecreateSoleInstance(String pod) implements RolloutDecision {}
}
