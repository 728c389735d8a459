/** Lease-based leader election: only the leader reconciles. */
package io.redisoperator.controller.leader;
