package io.redisoperator.controller.failover;

import io.redisoperator.protocol.agent.PromoteRequest;

/**
 * The replica chosen for promotion, with the values it was chosen on. Promotion is guarded by them: the agent refuses
 * (409) if its replication id changed or its offset went below what the controller compared, so a candidate that
 * became stale between observation and promotion is never promoted.
 */
public record Candidate(String podName, String podIP, int ordinal, String expectedReplId, long minOffset) {

  public PromoteRequest promoteRequest() {
    return new PromoteRequest(expectedReplId, minOffset);
  }
}
