package io.redisoperator.controller.failover;

import io.redisoperator.protocol.agent.PromoteRequest;

/**
 * The replica chosen for promotion, with the values it was chosen on. Promotion is guarded by them:
 * the agent refuses (409) if its replication id changed or its offset went below what the
 * controller compared, so a candidate that became stale between observation and promotion is never
 * promoted.
 */
public record Candidate(
    String podName, String podIP, int ordinal, String expectedReplId, long minOffset) {

  /**
   * How long after receiving the promotion the agent may still carry it out. Half of the
   * controller's HTTP timeout for the call ({@code HttpAgentClient}, 5 s): an agent that is slow to
   * act does so while the controller still waits for the answer, never after it gave up and may be
   * promoting someone else.
   */
  public static final long PROMOTE_DEADLINE_MILLIS = 2500;

  public PromoteRequest promoteRequest() {
    return new PromoteRequest(expectedReplId, minOffset, PROMOTE_DEADLINE_MILLIS);
  }
}
