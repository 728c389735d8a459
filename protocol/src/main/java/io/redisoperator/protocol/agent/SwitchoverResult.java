package io.redisoperator.protocol.agent;

/** Answer to a successful switchover: the offset at which the roles were swapped. */
public record SwitchoverResult(String newPrimaryHost, int newPrimaryPort, long handoffOffset) {}
