/**
 * The agent's Prometheus metrics.
 */
package io.redisoperator.agent.metrics;
