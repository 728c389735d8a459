/**
 * One actor per RedisCluster, deciding when to run a reconcile pass, and what it needs to run one:
 * the registry of cluster actors, the executor that performs a plan's actions, and the actor's
 * memory between passes in classes of their own (reports, pollers, echoes of its own writes, agent
 * cooldowns, fence sightings, user Secrets, what outcomes teach). What a pass does is decided in
 * {@code reconcile}. May use reconcile, kube, agent, observation, metrics and pod.
 */
package io.redisoperator.controller.cluster;
