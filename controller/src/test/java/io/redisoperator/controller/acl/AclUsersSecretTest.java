package io.redisoperator.controller.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AclUsersSecretTest {
  private static RedisCluster cluster() {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName("c");
    cluster.getMetadata().setNamespace("ns");
    cluster.getMetadata().setUid("uid-1");
    return cluster;
  }

  private static AclUsers users(long generation, String rule) {
    return new AclUsers(
        generation, List.of(new AclUser("app", List.of(rule), List.of("0".repeat(64)))));
  }

  @Test
  void theSameContentIsReadOnceAndAChangedOneAfresh() {
    AclUsers v1 = users(1, "~app:*");
    Secret first = AclUsersSecret.build(cluster(), v1);
    AclUsers read = AclUsersSecret.read(first).orElseThrow();
    assertEquals(v1, read);
    Secret again = AclUsersSecret.build(cluster(), v1); // another object, the same content
    assertSame(read, AclUsersSecret.read(again).orElseThrow(), "answered from memory");

    AclUsers v2 = users(2, "~other:*");
    assertEquals(v2, AclUsersSecret.read(AclUsersSecret.build(cluster(), v2)).orElseThrow());
  }

  @Test
  void anUnreadableOrEmptySecretReadsAsNothing() {
    Secret garbage =
        new SecretBuilder()
            .withData(
                Map.of(
                    InstanceLayout.ACL_KEY_USERS,
                    Base64.getEncoder()
                        .encodeToString("not json".getBytes(StandardCharsets.UTF_8))))
            .build();
    assertTrue(AclUsersSecret.read(garbage).isEmpty());
    assertTrue(AclUsersSecret.read(garbage).isEmpty());
    assertTrue(AclUsersSecret.read(new Secret()).isEmpty());
    assertTrue(AclUsersSecret.read(null).isEmpty());
  }
}
