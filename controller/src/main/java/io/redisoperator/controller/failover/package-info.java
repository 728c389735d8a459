/**
 * Pure failover decisions: primary health, the promotion gate, candidate choice, switchover
 * validation, replication repair. No Pekko, Kubernetes client, clock or I/O: time comes in through
 * the observation.
 */
package io.redisoperator.controller.failover;
