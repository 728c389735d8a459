package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.LegacyUsersRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The upgrade from an operator version before ACL users, with real redis-servers: the primary runs
 * that version's configuration (only {@code default}, {@code requirepass} the auth password), the
 * replica this version's agent, which authenticates replication as {@link
 * OperatorUsers#REPLICATION}. Without {@code /v1/legacy-users} the replica never links, so the
 * rolling update would wait forever; with it the replica links, and the old primary can hand over
 * to the new pod with {@code FAILOVER} and follow it, which is how the rolling update ends.
 */
class LegacyUpgradeIT {
  private static final String LEGACY_IP = "127.0.23.1";
  private static final String NEW_IP = "127.0.23.2";

  @RegisterExtension final AgentHarness h = new AgentHarness();
  private Process legacy;

  @AfterEach
  void tearDown() throws Exception {
    if (legacy != null) {
      legacy.destroy();
      legacy.waitFor();
    }
  }

  /** redis-server as the pods of an operator before ACL users ran it. */
  private Process startLegacyPrimary(Path dir) throws Exception {
    Process p =
        new ProcessBuilder(
                "redis-server",
                "--bind",
                LEGACY_IP,
                "--port",
                Integer.toString(AgentApi.REDIS_PORT),
                "--requirepass",
                AgentHarness.PASSWORD,
                "--masterauth",
                AgentHarness.PASSWORD,
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--repl-diskless-sync",
                "yes",
                "--repl-diskless-sync-delay",
                "0",
                "--loglevel",
                "warning")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    AgentHarness.await("legacy primary up", Duration.ofSeconds(10), () -> legacyRedis().ping());
    return p;
  }

  private RedisConnection legacyRedis() {
    return new RedisConnection(LEGACY_IP, AgentHarness.PASSWORD);
  }

  @Test
  void aNewReplicaLinksToAPrimaryFromBeforeAclUsersOnceItHasTheOperatorsUsers() throws Exception {
    legacy = startLegacyPrimary(Files.createTempDirectory("legacy-primary"));
    try (RedisConnection c = legacyRedis()) {
      c.sync().set("before-upgrade", "kept");
    }
    h.pod("rc-0", LEGACY_IP);
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node replica = h.node(1, NEW_IP);
    List<io.redisoperator.protocol.acl.AclUser> users =
        new java.util.ArrayList<>(
            AgentHarness.aclUsers(1, OperatorUsers.DEFAULT_RULES, AgentHarness.PASSWORD).users());
    replica.projectAcl(new AclUsers(1, users));
    h.pod(replica.podName, NEW_IP);
    replica.start();
    AgentHarness.await(
        "the new pod runs as a replica of the legacy primary",
        Duration.ofSeconds(15),
        () ->
            replica.status().redisUp()
                && replica.status().role() == InstanceRole.REPLICA
                && LEGACY_IP.equals(replica.status().masterHost()));
    // The regression: the primary has no replication user, so the link stays down.
    Awaitility.await("link stays down")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !Boolean.TRUE.equals(replica.status().masterLinkUp()));

    // A peer that is not the named pod's address is refused before anything is sent to it.
    AgentHarness.Reply wrongHost =
        replica.call(
            "POST",
            AgentApi.PATH_LEGACY_USERS,
            new LegacyUsersRequest(
                "rc-0", "127.0.23.9", AgentApi.REDIS_PORT, AgentHarness.PASSWORD));
    assertEquals(400, wrongHost.status(), wrongHost.body());
    AgentHarness.Reply wrongPassword =
        replica.call(
            "POST",
            AgentApi.PATH_LEGACY_USERS,
            new LegacyUsersRequest("rc-0", LEGACY_IP, AgentApi.REDIS_PORT, "not the password"));
    assertEquals(502, wrongPassword.status(), wrongPassword.body());

    AgentHarness.Reply seeded =
        replica.call(
            "POST",
            AgentApi.PATH_LEGACY_USERS,
            new LegacyUsersRequest("rc-0", LEGACY_IP, AgentApi.REDIS_PORT, AgentHarness.PASSWORD));
    assertEquals(200, seeded.status(), seeded.body());
    assertTrue(seeded.body().contains(OperatorUsers.REPLICATION), seeded.body());
    AgentHarness.await(
        "the new replica links and syncs",
        Duration.ofSeconds(15),
        () -> Boolean.TRUE.equals(replica.status().masterLinkUp()));
    try (RedisConnection c = replica.redis()) {
      assertEquals("kept", c.sync().get("before-upgrade"));
    }
    // The old agent keeps working as default: its password and rights are untouched.
    try (RedisConnection c = legacyRedis()) {
      assertEquals("OK", c.sync().configSet("maxmemory-policy", "noeviction"));
    }

    // The end of the rolling update: the old primary hands over to the new pod and follows it,
    // authenticating as the replication user (which the new pod's Redis demands). FAILOVER refuses
    // a target its primary has not marked online yet, which happens at the replica's first
    // REPLCONF ACK after the sync, up to a second after the replica reports its link up (the
    // controller's switchover waits for the target's offset in the primary's INFO likewise).
    AgentHarness.await(
        "the legacy primary lists the new replica online",
        Duration.ofSeconds(10),
        () -> {
          try (RedisConnection c = legacyRedis()) {
            // The new pod is its only replica.
            return c.sync().info("replication").contains("state=online");
          }
        });
    try (io.redisoperator.agent.redis.RedisCommands old =
        new io.redisoperator.agent.redis.RedisCommands(
            LEGACY_IP, AgentApi.REDIS_PORT, () -> AgentHarness.PASSWORD, Duration.ofSeconds(5))) {
      assertEquals(
          "OK",
          old.failoverToCaughtUpTarget(NEW_IP, AgentApi.REDIS_PORT)
              .toCompletableFuture()
              .get(10, java.util.concurrent.TimeUnit.SECONDS));
    }
    AgentHarness.await(
        "the old primary follows the new one",
        Duration.ofSeconds(15),
        () -> {
          try (RedisConnection c = legacyRedis()) {
            String info = c.sync().info("replication");
            return info.contains("role:slave") && info.contains("master_link_status:up");
          }
        });
    AgentHarness.await(
        "the new pod's Redis took over",
        Duration.ofSeconds(5),
        () -> replica.status().role() == InstanceRole.PRIMARY);
  }
}
