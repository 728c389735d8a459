/**
 * One actor per RedisCluster and the reconcile pass it runs: the actor decides when, the pure steps and planner
 * decide what, the executor performs the actions. May use kube, agent, observation, failover, rollout, resources
 * and sentinel.
 */
package io.redisoperator.controller.cluster;
