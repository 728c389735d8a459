/**
 * Pure rolling-update planning: replicas first, highest ordinal first, the primary last by
 * switchover.
 */
package io.redisoperator.controller.rollout;
