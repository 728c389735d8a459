/**
 * Every Kubernetes API call of the controller (on a bounded executor, counted) and the informers
 * that turn watch events into messages.
 */
package io.redisoperator.controller.kube;
