package io.redisoperator.controller.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.acl.PasswordHash;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisUserSpec;
import io.redisoperator.protocol.crd.SecretReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DesiredUsersTest {
  private final RedisCluster cluster = cluster();
  private final Secret operatorAuth = ClusterSecrets.operatorAuth(cluster);
  private final Secret generatedAuth = ClusterSecrets.generatedAuth(cluster);

  private static RedisCluster cluster() {
    RedisCluster c = new RedisCluster();
    c.getMetadata().setName("c");
    c.getMetadata().setNamespace("ns");
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(3);
    c.setSpec(spec);
    return c;
  }

  private DesiredUsers.Result users(Map<String, String> hashes) {
    return DesiredUsers.of(cluster, operatorAuth, Optional.of(generatedAuth), hashes);
  }

  @Test
  void theOperatorsUsersThenARestrictedDefaultWithTheAuthPassword() {
    DesiredUsers.Result r = users(Map.of());
    assertEquals(List.of(), r.problems());
    assertEquals(
        List.of(
            OperatorUsers.AGENT,
            OperatorUsers.REPLICATION,
            OperatorUsers.SENTINEL,
            OperatorUsers.DEFAULT),
        r.users().stream().map(DesiredUser::name).toList());
    DesiredUser def = r.users().get(3);
    assertEquals(OperatorUsers.DEFAULT_RULES, def.rules());
    assertEquals(
        PasswordHash.of(ClusterSecrets.value(generatedAuth, "password").orElseThrow()),
        def.passwordHash());
    assertEquals(
        PasswordHash.of(ClusterSecrets.value(operatorAuth, OperatorUsers.KEY_AGENT).orElseThrow()),
        r.users().get(0).passwordHash());
    assertTrue(r.users().get(0).rules().contains("-@all"), "the agent's user starts from nothing");
  }

  @Test
  void declaredUsersFollowWithTheirSecretsPasswordAndDefaultCanBeRedeclared() {
    cluster
        .getSpec()
        .setUsers(
            List.of(
                new RedisUserSpec("app", " ~app:*  +@read ", new SecretReference("app-pw")),
                new RedisUserSpec("default", "off", null)));
    DesiredUsers.Result r = users(Map.of("app-pw", "hash-app"));
    assertEquals(List.of(), r.problems());
    DesiredUser def =
        r.users().stream().filter(u -> u.name().equals("default")).findFirst().orElseThrow();
    assertEquals(List.of("off"), def.rules());
    DesiredUser app = r.users().get(r.users().size() - 1);
    assertEquals("app", app.name());
    assertEquals(List.of("~app:*", "+@read"), app.rules());
    assertEquals("hash-app", app.passwordHash());
  }

  @Test
  void aMissingSecretIsAProblemNamingTheFieldAndNoUsers() {
    cluster
        .getSpec()
        .setUsers(List.of(new RedisUserSpec("app", "+@read", new SecretReference("app-pw"))));
    cluster.getSpec().setAuthSecret(new SecretReference("mine"));
    DesiredUsers.Result r = users(Map.of());
    assertEquals(List.of(), r.users());
    assertEquals(2, r.problems().size(), r.problems().toString());
    assertTrue(r.problems().get(0).startsWith("spec.authSecret"), r.problems().toString());
    assertTrue(
        r.problems().get(1).startsWith("spec.users[0].passwordSecret"), r.problems().toString());
  }

  @Test
  void noUsersUntilTheGeneratedAuthSecretExists() {
    DesiredUsers.Result r = DesiredUsers.of(cluster, operatorAuth, Optional.empty(), Map.of());
    assertEquals(List.of(), r.users());
    assertEquals(List.of(), r.problems());
  }
}
