/**
 * {@code make bench-scale}: the real controller managing N RedisClusters whose data pods are
 * simulated by the fleet ({@code sandbox.fleet}), on the sandbox's real control plane, each in its
 * own process; one {@code scale:} line.
 */
package io.redisoperator.bench.scale;
