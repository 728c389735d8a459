/** Names of the objects a cluster owns, and the labels and annotations both sides read. */
package io.redisoperator.protocol.naming;
