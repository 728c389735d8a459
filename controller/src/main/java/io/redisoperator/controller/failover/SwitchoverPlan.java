package io.redisoperator.controller.failover;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.SwitchoverRequest;

/**
 * A validated planned handoff: {@code POST /v1/switchover} with {@link #request()} goes to the
 * current primary's agent (it pauses writes, waits until the target has its offset, promotes the
 * target and follows it). Before calling it the actor writes {@code status.targetPrimary = target};
 * the agent's answer is recorded in the next pass (status and role labels, {@code
 * SwitchoverHandoffStep}), or, after an operator restart, the target's poll showing role primary
 * ({@link FailoverPlanner}); then the others are repointed.
 */
public record SwitchoverPlan(
    String primary,
    String primaryIP,
    String target,
    String targetIP,
    long targetLagBytes,
    long timeoutMillis) {

  public SwitchoverRequest request() {
    return new SwitchoverRequest(targetIP, AgentApi.REDIS_PORT, timeoutMillis);
  }
}
