/**
 * Loopback address pool, the service proxy following endpoints, per-pod API endpoints and the
 * firewall rules that cut them.
 */
package io.redisoperator.sandbox.network;
