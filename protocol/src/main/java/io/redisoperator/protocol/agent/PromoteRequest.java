package io.redisoperator.protocol.agent;

/**
 * Body of {@code POST /v1/promote}. Every guard is optional; when given, the agent answers 409 instead of promoting
 * if its replication id differs or its offset is below {@code minOffset}, so a stale candidate is never promoted, and
 * 408 instead of promoting once {@code timeoutMillis} have passed since it received the request: the caller has given
 * up by then and may be promoting another replica, so a late promotion would make a second primary.
 */
public record PromoteRequest(String expectedReplId, Long minOffset, Long timeoutMillis) {
  public PromoteRequest(String expectedReplId, Long minOffset) {
    this(expectedReplId, minOffset, null);
  }

  public static PromoteRequest unguarded() {
    return new PromoteRequest(null, null, null);
  }
}
