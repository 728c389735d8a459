package io.redisoperator.protocol.agent;

/**
 * Body of {@code POST /v1/promote}. Every field is required (a blank body or a missing guard is
 * refused with 400, so nothing is ever promoted unguarded): the agent answers 409 instead of
 * promoting if its replication id differs from {@code expectedReplId} or its offset is below {@code
 * minOffset}, so a stale candidate is never promoted, and 408 instead of promoting once {@code
 * timeoutMillis} have passed since it received the request: the caller has given up by then and may
 * be promoting another replica, so a late promotion would make a second primary.
 */
public record PromoteRequest(String expectedReplId, Long minOffset, Long timeoutMillis) {}
