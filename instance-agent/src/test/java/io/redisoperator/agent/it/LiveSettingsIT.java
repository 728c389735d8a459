package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.acl.PasswordHash;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.agent.InstanceSettingsHash;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the agent applies to a running Redis without a restart, against real Redis: rotated operator
 * passwords (replication unbroken) and settings (injection refused).
 */
class LiveSettingsIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  @Test
  void rotatesTheOperatorPasswordsLiveWithoutBreakingReplication() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.14", "127.0.10.15");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    String nextAgent = "rotated-agent-2";
    String nextReplication = "rotated-replication-2";
    // What the controller does: both passwords accepted everywhere, then the new Secret, then the
    // old ones removed.
    projectOperatorHashes(
        2,
        List.of(nextAgent, AgentHarness.AGENT_PASSWORD),
        List.of(nextReplication, AgentHarness.REPLICATION_PASSWORD),
        a,
        b);
    Map<String, String> next =
        Map.of(
            InstanceLayout.AUTH_KEY_AGENT,
            nextAgent,
            InstanceLayout.AUTH_KEY_REPLICATION,
            nextReplication);
    String versionA = a.projectSecret(a.authDir, next);
    String versionB = b.projectSecret(b.authDir, next);
    AgentHarness.await(
        "new replication password applied",
        Duration.ofSeconds(10),
        () ->
            versionA.equals(a.status().secretVersions().get("auth"))
                && versionB.equals(b.status().secretVersions().get("auth")));
    projectOperatorHashes(3, List.of(nextAgent), List.of(nextReplication), a, b);
    try (RedisConnection ra = a.redis();
        RedisConnection rb = b.redis();
        RedisConnection oldReplication =
            new RedisConnection(
                a.ip, OperatorUsers.REPLICATION, AgentHarness.REPLICATION_PASSWORD, null)) {
      assertFalse(oldReplication.ping(), "the old password is refused");
      // The replica's next connection must authenticate with the new password.
      ra.sync().clientKill(io.lettuce.core.KillArgs.Builder.typeSlave());
      AgentHarness.await(
          "replica linked again",
          Duration.ofSeconds(10),
          () -> Boolean.TRUE.equals(b.status().masterLinkUp()));
      assertNull(ra.trySet("after-rotation", "1"));
      AgentHarness.await(
          "replication still up",
          Duration.ofSeconds(5),
          () -> "1".equals(rb.sync().get("after-rotation")));
      assertTrue(a.status().redisUp(), "the agent works with its new password");
    }
    String conf = Files.readString(b.dataDir.resolve("redis.conf"));
    assertTrue(
        conf.contains("masterauth \"" + nextReplication + "\""),
        "a restart keeps the new password");
    assertFalse(conf.contains(nextAgent), "the agent's own password is never written");
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(a.dataDir.resolve("redis.conf"))));
  }

  private static void projectOperatorHashes(
      long generation,
      List<String> agentPasswords,
      List<String> replicationPasswords,
      AgentHarness.Node... nodes)
      throws Exception {
    List<AclUser> users = new java.util.ArrayList<>();
    for (AclUser u :
        AgentHarness.aclUsers(generation, List.of("~*", "&*", "+@all"), AgentHarness.PASSWORD)
            .users()) {
      List<String> passwords =
          u.name().equals(OperatorUsers.AGENT)
              ? agentPasswords
              : u.name().equals(OperatorUsers.REPLICATION) ? replicationPasswords : null;
      users.add(
          passwords == null
              ? u
              : new AclUser(
                  u.name(), u.rules(), passwords.stream().map(PasswordHash::of).toList()));
    }
    for (AgentHarness.Node node : nodes) {
      node.projectAcl(new AclUsers(generation, users));
    }
    for (AgentHarness.Node node : nodes) {
      AgentHarness.await(
          node.podName + " applies users " + generation,
          Duration.ofSeconds(10),
          () ->
              node.status().acl() != null && node.status().acl().appliedGeneration() == generation);
    }
  }

  @Test
  void rejectsConfigInjectionAndAppliesValidSettingsLive() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.18").start();
    a.awaitUp();
    try (RedisConnection ra = a.redis()) {
      String hashBefore = a.status().configHash();
      a.settingsJson("{\"redisDirectives\":{\"maxmemory\":\"1mb\\nrequirepass hacked\"}}");
      a.settingsJson("{\"redisDirectives\":{\"replicaof\":\"10.0.0.1 6379\"}}");
      a.settingsJson("{\"redisDirectives\":{\"maxmemory-policy\":\"allkeys-lru\\\" \\\"x\"}}");
      AgentHarness.holds(
          "rejected directives are not applied",
          Duration.ofSeconds(1),
          () -> "0".equals(ra.sync().configGet("maxmemory").get("maxmemory")));
      assertEquals(hashBefore, a.status().configHash(), "rejected settings are not applied");
      String conf = Files.readString(a.dataDir.resolve("redis.conf"));
      assertFalse(conf.contains("hacked"));
      assertFalse(conf.contains("10.0.0.1"));

      InstanceSettings good =
          new InstanceSettings(
              Map.of("maxmemory-policy", "allkeys-lru", "loglevel", "warning"), 1, 5);
      a.settings(good);
      AgentHarness.await(
          "settings applied live",
          Duration.ofSeconds(10),
          () -> InstanceSettingsHash.of(good).equals(a.status().configHash()));
      assertEquals("allkeys-lru", ra.sync().configGet("maxmemory-policy").get("maxmemory-policy"));
      assertEquals("1", ra.sync().configGet("min-replicas-to-write").get("min-replicas-to-write"));
      assertEquals("5", ra.sync().configGet("min-replicas-max-lag").get("min-replicas-max-lag"));
      assertTrue(
          ra.trySet("k", "v").contains("NOREPLICAS"), "durability on: no write without a replica");
      assertTrue(
          Files.readString(a.dataDir.resolve("redis.conf"))
              .contains("maxmemory-policy allkeys-lru"));
    }
  }
}
