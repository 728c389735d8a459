package io.redisoperator.protocol.agent;

/**
 * Body of {@code POST /v1/promote}. Both guards are optional; when given, the agent answers 409 instead of promoting
 * if its replication id differs or its offset is below {@code minOffset}, so a stale candidate is never promoted.
 */
public record PromoteRequest(String expectedReplId, Long minOffset) {
  public static PromoteRequest unguarded() {
    return new PromoteRequest(null, null);
  }
}
