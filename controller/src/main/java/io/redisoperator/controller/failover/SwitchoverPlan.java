package io.redisoperator.controller.failover;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.SwitchoverRequest;

/**
 * A validated planned handoff: {@code POST /v1/switchover} with {@link #request()} goes to the current primary's agent
 * (it pauses writes, waits until the target has its offset, promotes the target and follows it). Before calling it
 * the actor writes {@code status.targetPrimary = target}; once the target reports role primary the
 * {@link FailoverPlanner} records it and repoints the others.
 */
public record SwitchoverPlan(
    String primary, String primaryIP, String target, String targetIP, long targetLagBytes, long timeoutMillis) {

  public SwitchoverRequest request() {
    return new SwitchoverRequest(targetIP, AgentApi.REDIS_PORT, timeoutMillis);
  }
}
