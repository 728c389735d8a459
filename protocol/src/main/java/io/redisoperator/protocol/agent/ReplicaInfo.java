package io.redisoperator.protocol.agent;

/** One replica connected to a primary, from the primary's INFO replication. */
public record ReplicaInfo(String ip, int port, String state, long offset, long lagSeconds) {}
