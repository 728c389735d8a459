package io.redisoperator.controller.acl;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.controller.resources.Owners;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.ResourceNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code <cluster>-acl} Secret: the users every data pod applies, as JSON (rules and password
 * hashes). A Secret, not a ConfigMap: a hash of a weak password can be guessed offline.
 */
public final class AclUsersSecret {
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
    return ClusterSecrets.value(secret, InstanceLayout.ACL_KEY_USERS)
        .flatMap(
            json -> {
              try {
                return Optional.of(Json.contract().readValue(json, AclUsers.class));
              } catch (IOException e) {
                return Optional.empty();
              }
            });
  }
}
