package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Passwords the controller generates: Redis' when the spec names none, Sentinel's admin user's; and
 * reading Secret values.
 */
public final class ClusterSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ClusterSecrets() {}

  /** The auth Secret the pods use: the user's, or the generated {@code <cluster>-auth}. */
  public static String authSecretName(RedisCluster cluster) {
    return cluster.getSpec().getAuthSecret() != null
        ? cluster.getSpec().getAuthSecret().getName()
        : ResourceNames.generatedAuthSecret(cluster.getMetadata().getName());
  }

  /** The Sentinel admin password (mode sentinel): only the sentinel pods mount it. */
  public static Secret sentinelAuth(RedisCluster cluster) {
    return secret(
        cluster,
        ResourceNames.sentinelAuthSecret(cluster.getMetadata().getName()),
        InstanceLayout.SECRET_KEY_PASSWORD);
  }

  /**
   * Passwords of the operator's own Redis users, one key each ({@link OperatorUsers#KEY_AGENT},
   * ...).
   */
  public static Secret operatorAuth(RedisCluster cluster) {
    Map<String, String> data = new java.util.TreeMap<>();
    for (String key : OPERATOR_KEYS) {
      data.put(
          key, Base64.getEncoder().encodeToString(randomValue().getBytes(StandardCharsets.UTF_8)));
    }
    return new SecretBuilder()
        .withMetadata(
            Owners.owned(
                cluster, ResourceNames.operatorAuthSecret(cluster.getMetadata().getName())))
        .withType("Opaque")
        .withData(data)
        .build();
  }

  public static final java.util.List<String> OPERATOR_KEYS =
      java.util.List.of(
          OperatorUsers.KEY_AGENT, OperatorUsers.KEY_REPLICATION, OperatorUsers.KEY_SENTINEL);

  public static Secret generatedAuth(RedisCluster cluster) {
    return secret(
        cluster,
        ResourceNames.generatedAuthSecret(cluster.getMetadata().getName()),
        InstanceLayout.SECRET_KEY_PASSWORD);
  }

  /** A 256-bit random value, URL-safe base64: safe in redis.conf and HTTP headers. */
  static String randomValue() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Decodes one key of a Secret's data, empty when absent. */
  public static Optional<String> value(Secret secret, String key) {
    if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
      return Optional.empty();
    }
    return Optional.of(
        new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
  }

  private static Secret secret(RedisCluster cluster, String name, String key) {
    String encoded =
        Base64.getEncoder().encodeToString(randomValue().getBytes(StandardCharsets.UTF_8));
    return new SecretBuilder()
        .withMetadata(Owners.owned(cluster, name))
        .withType("Opaque")
        .withData(Map.of(key, encoded))
        .build();
  }
}
