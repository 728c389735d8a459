/**
 * Every Kubernetes API call of the controller (on the threads of {@link
 * io.redisoperator.controller.kube.ApiExecutor}, counted) and the informers that turn watch events
 * into messages.
 */
package io.redisoperator.controller.kube;
