package io.redisoperator.protocol.agent;

/** Answer to promote, replicate and fence: the instance's status after the operation. */
public record OperationResult(String message, InstanceStatus status) {}
