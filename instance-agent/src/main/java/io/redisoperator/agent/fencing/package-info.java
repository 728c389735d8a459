/**
 * The persistent fence marker on the data volume and the self-fencing policy of a primary cut off
 * from the API server and its replicas.
 */
package io.redisoperator.agent.fencing;
