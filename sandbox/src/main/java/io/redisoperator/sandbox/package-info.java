/**
 * A local stand-in for Kubernetes on loopback addresses (API server, kubelet, service proxy,
 * garbage collector, fault injection) that powers make run, the e2e scenarios and the benchmarks.
 */
package io.redisoperator.sandbox;
