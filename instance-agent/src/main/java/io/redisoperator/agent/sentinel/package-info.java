/**
 * The sentinel role: a redis-sentinel process that follows the operator's recorded primary and
 * never fails over on its own.
 */
package io.redisoperator.agent.sentinel;
