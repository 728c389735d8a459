/**
 * The agent's HTTP contract shared by controller and agent: paths, port, request and response
 * records, the pod's file layout, self-fencing timing. Depends on nothing of ours.
 */
package io.redisoperator.protocol.agent;
