/**
 * {@code make bench-fleet}: what the fleet ({@code sandbox.fleet}) costs per simulated agent, its
 * agent endpoints alone in their own JVM, polled over mutual TLS at the controller's rates; one
 * {@code fleet-footprint:} line.
 */
package io.redisoperator.bench.fleet;
