/**
 * Certificates both sides share: the cluster's certificate authority, certificate requests and
 * lifetimes, PEM encoding, and the agent API's mutual-TLS settings. Depends on Bouncy Castle only.
 */
package io.redisoperator.protocol.tls;
