/**
 * redis-server as a supervised child process and the Lettuce commands the agent sends it; INFO
 * parsing.
 */
package io.redisoperator.agent.redis;
