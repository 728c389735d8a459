/**
 * The agent's HTTP API: {@code AgentRoutes} assembles the endpoint groups (status, operations,
 * backups, probes) behind the controller's gate and the request envelope; the readiness rule, the
 * request bodies' parsing and the API port's mutual TLS. Depends on the instance actor, the status
 * board, the backup service and the protocol's contract.
 */
package io.redisoperator.agent.http;
