package io.redisoperator.protocol.agent;

/** Body of {@code POST /v1/replicate}: follow the primary at host:port. */
public record ReplicateRequest(String host, int port) {}
