/**
 * Immutable snapshots of a cluster and its instances as the controller last saw them: the pure
 * planners' input.
 */
package io.redisoperator.controller.observation;
