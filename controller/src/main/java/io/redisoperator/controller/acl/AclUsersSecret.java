package io.redisoperator.controller.acl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.controller.resources.Owners;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.ResourceNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code <cluster>-acl} Secret: the users every data pod applies, as JSON (rules and password
 * hashes). A Secret, not a ConfigMap: a hash of a weak password can be guessed offline.
 */
public final class AclUsersSecret {
  /**
   * What each Secret's content reads as, by that exact (encoded) content: every pass reads the
   * Secret, which changes only when the users do. {@link AclUsers} is immutable, so one value is
   * shared. Bounded; an entry nothing has read for a while (its cluster gone) is dropped.
   */
  private static final Cache<String, Optional<AclUsers>> READ =
      Caffeine.newBuilder()
          .maximumSize(4_096)
          .expireAfterAccess(Duration.ofMinutes(10))
          .executor(Runnable::run)
          .build();

  private AclUsersSecret() {}

  public static Secret build(RedisCluster cluster, AclUsers users) {
    return new SecretBuilder()
        .withMetadata(
            Owners.owned(cluster, ResourceNames.aclSecret(cluster.getMetadata().getName())))
        .withType("Opaque")
        .withData(data(users))
        .build();
  }

  public static Map<String, String> data(AclUsers users) {
    try {
      String json = Json.mapper().writeValueAsString(users);
      return Map.of(
          InstanceLayout.ACL_KEY_USERS,
          Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException("AclUsers always serializes", e);
    }
  }

  /**
   * What the Secret holds; empty when absent or unreadable (then the pods get a fresh generation
   * 1).
   */
  public static Optional<AclUsers> read(Secret secret) {
    if (secret == null
        || secret.getData() == null
        || secret.getData().get(InstanceLayout.ACL_KEY_USERS) == null) {
      return Optional.empty();
    }
    return READ.get(secret.getData().get(InstanceLayout.ACL_KEY_USERS), AclUsersSecret::parse);
  }

  private static Optional<AclUsers> parse(String base64) {
    String json = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    try {
      return Optional.of(Json.contract().readValue(json, AclUsers.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
