/**
 * The failover benchmark: repeated faults under a writer against the real controller on the
 * sandbox, one result line per kind.
 */
package io.redisoperator.bench;
