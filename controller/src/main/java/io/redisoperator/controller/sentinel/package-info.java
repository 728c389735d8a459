/**
 * Builders of the Sentinel pods and the {@code -sentinel} Service of {@code mode: sentinel}, and
 * when the Sentinels count as a quorum: the Sentinels serve discovery, the operator stays the
 * failover authority. The reconcile step that uses them lives in {@code reconcile}.
 */
package io.redisoperator.controller.sentinel;
