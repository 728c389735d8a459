package io.redisoperator.protocol.agent;

/**
 * Body of {@code POST /v1/fence}: why the instance is fenced (kept in the fence marker and the
 * logs).
 */
public record FenceRequest(String reason) {}
