/**
 * The agent's reads of the Kubernetes API (its RedisCluster, the primary pod) and the pure boot
 * guard deciding how Redis starts.
 */
package io.redisoperator.agent.kube;
