/**
 * The controller's Micrometer metrics ({@code redis_operator_*}, per-cluster series from the pure
 * {@code ClusterGauges}) and its HTTP endpoints (metrics, health, readiness).
 */
package io.redisoperator.controller.metrics;
