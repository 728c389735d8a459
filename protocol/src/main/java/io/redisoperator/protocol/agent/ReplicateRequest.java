package io.redisoperator.protocol.agent;

/**
 * Body of {@code POST /v1/replicate}: follow the primary at host:port, which must be the address of
 * {@code primaryPod}, a pod of the agent's own cluster (the agent checks it with the API server
 * before it gives Redis the replication password to present there).
 */
public record ReplicateRequest(String host, int port, String primaryPod) {}
