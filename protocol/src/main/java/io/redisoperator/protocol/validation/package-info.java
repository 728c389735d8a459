/** The pure RedisCluster validator: every rule names the field it refuses. */
package io.redisoperator.protocol.validation;
