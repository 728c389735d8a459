/**
 * The instance role's entry point: settings, and the agent that wires Redis supervision, the HTTP
 * API and the Kubernetes reads together. Depends on protocol, never on the controller.
 */
package io.redisoperator.agent;
