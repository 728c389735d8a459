/** Runs pods as OS process groups: projected volumes, Downward API, probes, status reporting. */
package io.redisoperator.sandbox.kubelet;
