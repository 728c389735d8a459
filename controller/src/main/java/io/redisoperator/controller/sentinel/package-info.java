/**
 * Sentinel pods and the {@code -sentinel} Service of {@code mode: sentinel}: the Sentinels serve discovery, the
 * operator stays the failover authority.
 */
package io.redisoperator.controller.sentinel;
