/**
 * The reasons of the Kubernetes Events the operator emits: one vocabulary for the controller that
 * emits them, the kubectl plugin and runbooks that read them, and the tests that look for them.
 * Depends on nothing.
 */
package io.redisoperator.protocol.event;
