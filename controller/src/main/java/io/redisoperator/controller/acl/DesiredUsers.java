package io.redisoperator.controller.acl;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.protocol.acl.AclRuleSyntax;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.acl.PasswordHash;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisUserSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: every user a cluster's Redis must have, with the hash of its current password: the
 * operator's three, then {@code default} (the auth Secret's password; its rules restricted unless
 * spec.users declares it), then spec.users.
 */
public final class DesiredUsers {
  private DesiredUsers() {}

  /**
   * @param users empty with no problems while the generated auth Secret is still being created
   * @param problems what keeps the users from being built, naming the field; the users are empty
   *     then
   */
  public record Result(List<DesiredUser> users, List<String> problems) {}

  /**
   * @param operatorAuth the {@code <cluster>-operator-auth} Secret
   * @param generatedAuth the {@code <cluster>-auth} Secret, used when spec.authSecret is absent
   * @param userPasswordHashes hashes of the user Secrets' passwords, by Secret name
   */
  public static Result of(
      RedisCluster cluster,
      Secret operatorAuth,
      Optional<Secret> generatedAuth,
      Map<String, String> userPasswordHashes) {
    List<String> problems = new ArrayList<>();
    List<DesiredUser> users = new ArrayList<>();
    users.add(
        operator(
            OperatorUsers.AGENT, OperatorUsers.AGENT_RULES, operatorAuth, OperatorUsers.KEY_AGENT));
    users.add(
        operator(
            OperatorUsers.REPLICATION,
            OperatorUsers.REPLICATION_RULES,
            operatorAuth,
            OperatorUsers.KEY_REPLICATION));
    users.add(
        operator(
            OperatorUsers.SENTINEL,
            OperatorUsers.SENTINEL_RULES,
            operatorAuth,
            OperatorUsers.KEY_SENTINEL));

    String authHash;
    if (cluster.getSpec().getAuthSecret() != null) {
      String name = cluster.getSpec().getAuthSecret().getName();
      authHash = userPasswordHashes.get(name);
      if (authHash == null) {
        problems.add("spec.authSecret: Secret '" + name + "' is missing or has no key 'password'");
      }
    } else {
      authHash =
          generatedAuth
              .flatMap(s -> ClusterSecrets.value(s, InstanceLayout.SECRET_KEY_PASSWORD))
              .map(PasswordHash::of)
              .orElse(null);
      if (authHash == null) {
        // Neither cached nor planned in this pass: the users follow once it is.
        return new Result(List.of(), List.of());
      }
    }
    List<RedisUserSpec> declared =
        cluster.getSpec().getUsers() == null ? List.of() : cluster.getSpec().getUsers();
    RedisUserSpec declaredDefault =
        declared.stream()
            .filter(u -> OperatorUsers.DEFAULT.equals(u.getName()))
            .findFirst()
            .orElse(null);
    List<String> defaultRules = OperatorUsers.DEFAULT_RULES;
    String defaultHash = authHash;
    if (declaredDefault != null) {
      defaultRules = AclRuleSyntax.split(declaredDefault.getRules());
      if (declaredDefault.getPasswordSecret() != null) {
        defaultHash =
            secretHash(
                declared.indexOf(declaredDefault), declaredDefault, userPasswordHashes, problems);
      }
    }
    users.add(
        new DesiredUser(
            OperatorUsers.DEFAULT, defaultRules, defaultHash == null ? "" : defaultHash));
    for (int i = 0; i < declared.size(); i++) {
      RedisUserSpec u = declared.get(i);
      if (OperatorUsers.DEFAULT.equals(u.getName())) {
        continue;
      }
      String hash = secretHash(i, u, userPasswordHashes, problems);
      users.add(
          new DesiredUser(
              u.getName(), AclRuleSyntax.split(u.getRules()), hash == null ? "" : hash));
    }
    return problems.isEmpty()
        ? new Result(List.copyOf(users), List.of())
        : new Result(List.of(), List.copyOf(problems));
  }

  private static String secretHash(
      int index, RedisUserSpec user, Map<String, String> hashes, List<String> problems) {
    String secret = user.getPasswordSecret() == null ? null : user.getPasswordSecret().getName();
    String hash = secret == null ? null : hashes.get(secret);
    if (hash == null) {
      problems.add(
          "spec.users["
              + index
              + "].passwordSecret: Secret '"
              + secret
              + "' of user '"
              + user.getName()
              + "' is missing or has no key 'password'");
    }
    return hash;
  }

  private static DesiredUser operator(
      String name, List<String> rules, Secret operatorAuth, String key) {
    return new DesiredUser(
        name, rules, PasswordHash.of(ClusterSecrets.value(operatorAuth, key).orElseThrow()));
  }
}
