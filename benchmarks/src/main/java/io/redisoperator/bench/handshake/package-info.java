/**
 * What one full agent TLS handshake costs the controller and the agent, in one JVM, without a
 * network: the JIT and the key-exchange group as the JVM was started with them; one {@code
 * agent-handshake:} and one {@code agent-handshake-crypto:} line.
 */
package io.redisoperator.bench.handshake;
