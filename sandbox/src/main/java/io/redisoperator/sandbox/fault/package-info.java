/** Fault injection: process kills and network partitions between loopback addresses. */
package io.redisoperator.sandbox.fault;
