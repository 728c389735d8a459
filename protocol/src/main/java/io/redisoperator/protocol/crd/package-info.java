/**
 * The CRD model (RedisCluster, RedisBackup, RedisScheduledBackup) from which the CRD YAML is
 * generated, with typed conditions, phases and reasons.
 */
package io.redisoperator.protocol.crd;
