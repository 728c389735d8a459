package io.redisoperator.protocol.agent;

import java.util.Map;

/**
 * The cluster-wide Redis settings the controller renders into the {@code <cluster>-config}
 * ConfigMap (key {@link InstanceLayout#CONFIG_KEY_SETTINGS}, JSON through {@code Json.mapper()})
 * and every agent applies, live when Redis allows it.
 *
 * @param redisDirectives the user's validated extra redis.conf directives (spec.redis)
 * @param minReplicasToWrite spec.durability, null when off
 * @param minReplicasMaxLagSeconds spec.durability, null when off
 * @param tls spec.tls: Redis serves TLS only, on its usual port, with the files of {@link
 *     InstanceLayout#REDIS_TLS_DIR}; null or false: plaintext. Applied at Redis' next start (the
 *     pod is replaced when it changes), so it is not part of {@link InstanceSettingsHash}.
 * @param plaintextPort with TLS on, a port Redis also serves plaintext on (spec.tls.plaintextPort,
 *     the migration mode); null: TLS only. Applied live ({@code CONFIG SET port}).
 */
public record InstanceSettings(
    Map<String, String> redisDirectives,
    Integer minReplicasToWrite,
    Integer minReplicasMaxLagSeconds,
    Boolean tls,
    Integer plaintextPort) {

  public InstanceSettings(
      Map<String, String> redisDirectives,
      Integer minReplicasToWrite,
      Integer minReplicasMaxLagSeconds,
      Boolean tls) {
    this(redisDirectives, minReplicasToWrite, minReplicasMaxLagSeconds, tls, null);
  }

  public InstanceSettings(
      Map<String, String> redisDirectives,
      Integer minReplicasToWrite,
      Integer minReplicasMaxLagSeconds) {
    this(redisDirectives, minReplicasToWrite, minReplicasMaxLagSeconds, null, null);
  }

  public boolean tlsEnabled() {
    return Boolean.TRUE.equals(tls);
  }

  /** The port Redis serves plaintext on beside TLS (migration mode), or null: TLS only. */
  public Integer plaintextPortWithTls() {
    return tlsEnabled() ? plaintextPort : null;
  }
}
