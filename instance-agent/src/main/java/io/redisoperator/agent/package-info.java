/**
 * The instance role's entry point: settings, and {@code InstanceAgent}, which wires Redis
 * supervision, the HTTP API and the Kubernetes reads together and stops them in a safe order; what
 * it starts from ({@code StartingInputs}), what comes before every start of redis-server ({@code
 * RedisStartPreparation}) and the projected files it follows while it runs ({@code
 * RotationWatches}). Depends on protocol, never on the controller.
 */
package io.redisoperator.agent;
