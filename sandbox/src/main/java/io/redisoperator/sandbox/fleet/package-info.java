/**
 * Fleet mode for the scale benchmark: one process that plays the kubelet and the instance agent of
 * thousands of data pods without running any of them. Pods get a loopback address, a Running/Ready
 * status and an agent API endpoint (mutual TLS with the pod's own certificate) answered from an
 * in-memory replication model, so the unchanged controller manages them as real ones; a control
 * endpoint fails a chosen pod's Redis on demand.
 */
package io.redisoperator.sandbox.fleet;
