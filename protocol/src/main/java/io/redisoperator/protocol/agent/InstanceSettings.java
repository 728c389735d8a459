package io.redisoperator.protocol.agent;

import java.util.Map;

/**
 * The cluster-wide Redis settings the controller renders into the {@code <cluster>-config} ConfigMap (key {@link
 * InstanceLayout#CONFIG_KEY_SETTINGS}, JSON through {@code Json.mapper()}) and every agent applies, live when Redis
 * allows it.
 *
 * @param redisDirectives the user's validated extra redis.conf directives (spec.redis)
 * @param minReplicasToWrite spec.durability, null when off
 * @param minReplicasMaxLagSeconds spec.durability, null when off
 */
public record InstanceSettings(
    Map<String, String> redisDirectives, Integer minReplicasToWrite, Integer minReplicasMaxLagSeconds) {}
