/**
 * The actor system, blocking pool and HTTP bindings both agent roles run on; the pod's identity on
 * every log line.
 */
package io.redisoperator.agent.runtime;
