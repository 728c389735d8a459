/**
 * The agent's Prometheus metrics: Redis' own numbers under the Redis exporter's names, read from
 * the cached INFO, and the agent's {@code redis_operator_agent_*} series.
 */
package io.redisoperator.agent.metrics;
