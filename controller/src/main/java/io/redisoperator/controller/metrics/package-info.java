/**
 * The controller's Micrometer metrics and its HTTP endpoints (metrics, health, readiness).
 */
package io.redisoperator.controller.metrics;
