/** The controller as a separate process, and waiting for a RedisCluster to become ready. */
package io.redisoperator.sandbox.operator;
