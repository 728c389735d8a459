/** The agent's HTTP routes, bearer authentication and readiness rule. */
package io.redisoperator.agent.http;
