package io.redisoperator.protocol.agent;

/**
 * Body of {@code POST /v1/switchover}, sent to the current primary: hand the primary role to the
 * replica at host:port without losing acknowledged writes (writes are paused until the target has
 * the primary's offset). If the target does not catch up within {@code timeoutMillis} writes resume
 * and the primary stays primary.
 */
public record SwitchoverRequest(String targetHost, int targetPort, long timeoutMillis) {}
