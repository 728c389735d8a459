/**
 * The pure reconcile: from one {@link io.redisoperator.controller.reconcile.ReconcileInput} (spec,
 * owned objects, observations, the time) the planner and its steps decide the actions of a pass and
 * the status to write. No actors, no API client, no clock (enforced by {@code ArchitectureTest}).
 * May use observation, failover, rollout, resources and the sentinel builders.
 */
package io.redisoperator.controller.reconcile;
