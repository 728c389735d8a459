package io.redisoperator.agent.kube;

import io.redisoperator.agent.config.Endpoint;

/**
 * How redis-server starts.
 *
 * @param replicaOf the primary to follow, null to start as a primary
 * @param hold start without accepting writes until the controller decides (promote, replicate or
 *     unfence)
 * @param fencedByStatus the cluster status lists this pod as fenced
 */
public record BootPlan(Endpoint replicaOf, boolean hold, boolean fencedByStatus, String reason) {}
