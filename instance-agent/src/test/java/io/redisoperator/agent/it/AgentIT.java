package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.acl.PasswordHash;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.agent.InstanceSettingsHash;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.StatusVolatiles;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import io.redisoperator.protocol.crd.InstanceRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentIT {
  private AgentHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new AgentHarness();
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  @Test
  void replicatesThroughTheApiAndReportsStatusMatchingInfo() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.1", "127.0.10.2");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    try (RedisConnection ra = a.redis();
        RedisConnection rb = b.redis()) {
      assertNull(ra.trySet("k", "v"));
      AgentHarness.await(
          "key replicated", Duration.ofSeconds(5), () -> "v".equals(rb.sync().get("k")));

      AgentHarness.await(
          "status refreshed", Duration.ofSeconds(5), () -> b.status().replicationOffset() > 0);
      InstanceStatus st = b.status();
      RedisInfo info = rb.info("everything");
      assertEquals(InstanceRole.REPLICA, st.role());
      assertTrue(st.redisUp());
      assertEquals(info.get("redis_version"), st.redisVersion());
      assertEquals(info.masterReplId(), st.masterReplId());
      assertEquals(a.ip, st.masterHost());
      assertEquals(info.masterHost(), st.masterHost());
      assertEquals(AgentApi.REDIS_PORT, st.masterPort());
      assertEquals(true, st.masterLinkUp());
      assertTrue(st.masterLastIoSecondsAgo() >= 0 && st.masterLastIoSecondsAgo() <= 2);
      assertFalse(st.fenced());
      assertEquals("rc-1", st.podName());
      assertNotNull(st.configHash());
      assertTrue(st.secretVersions().get("auth").startsWith("..gen_"));

      // The primary's status is served from its cached INFO: wait until that cache has seen the
      // replica.
      AgentHarness.await(
          "primary lists its replica",
          Duration.ofSeconds(5),
          () -> a.status().connectedReplicas().size() == 1);
      InstanceStatus sa = a.status();
      assertEquals(InstanceRole.PRIMARY, sa.role());
      assertEquals(1, sa.connectedReplicas().size());
      assertEquals(b.ip, sa.connectedReplicas().get(0).ip());
      assertEquals("online", sa.connectedReplicas().get(0).state());
      assertEquals(ra.info("replication").masterReplId(), sa.masterReplId());
    }
  }

  @Test
  void promotesOnlyACandidateThatPassesTheGuard() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.3", "127.0.10.4");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    try (RedisConnection ra = a.redis();
        RedisConnection rb = b.redis()) {
      assertNull(ra.trySet("k1", "v1"));
      AgentHarness.await(
          "replicated", Duration.ofSeconds(5), () -> "v1".equals(rb.sync().get("k1")));
      RedisInfo primary = ra.info("replication");

      AgentHarness.Reply stale =
          b.call(
              "POST",
              AgentApi.PATH_PROMOTE,
              new PromoteRequest(
                  primary.masterReplId(), primary.replicationOffset() + 1000, 3000L));
      assertEquals(409, stale.status(), stale.body());
      assertEquals(AgentError.CONFLICT, stale.as(AgentError.class).code());
      AgentHarness.Reply wrongId =
          b.call("POST", AgentApi.PATH_PROMOTE, new PromoteRequest("0".repeat(40), 0L, 3000L));
      assertEquals(409, wrongId.status(), wrongId.body());
      assertEquals(
          "slave", rb.info("replication").get("role"), "a refused promotion has no effect");

      AgentHarness.Reply ok =
          b.call(
              "POST",
              AgentApi.PATH_PROMOTE,
              new PromoteRequest(primary.masterReplId(), primary.replicationOffset(), 3000L));
      assertEquals(200, ok.status(), ok.body());
      assertEquals(InstanceRole.PRIMARY, ok.as(OperationResult.class).status().role());
      assertNull(rb.trySet("k2", "v2"), "the promoted replica accepts writes");

      a.replicateFrom(b);
      AgentHarness.await(
          "old primary follows", Duration.ofSeconds(10), () -> "v2".equals(ra.sync().get("k2")));
      assertEquals(InstanceRole.REPLICA, a.status().role());
    }
  }

  @Test
  void replicatesOnlyFromTheAddressOfAPodOfItsCluster() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.25", "127.0.10.26");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    // The right pod name with another host: Redis would present the password there.
    AgentHarness.Reply elsewhere =
        b.call(
            "POST",
            AgentApi.PATH_REPLICATE,
            new ReplicateRequest("127.0.10.99", AgentApi.REDIS_PORT, a.podName));
    assertEquals(400, elsewhere.status(), elsewhere.body());
    assertEquals(AgentError.BAD_REQUEST, elsewhere.as(AgentError.class).code());
    AgentHarness.Reply unnamed =
        b.call(
            "POST",
            AgentApi.PATH_REPLICATE,
            "{\"host\":\"" + a.ip + "\",\"port\":" + AgentApi.REDIS_PORT + "}");
    assertEquals(400, unnamed.status(), unnamed.body());
    assertEquals(a.ip, b.status().masterHost(), "a refused request changes nothing");
  }

  @Test
  void fenceRefusesWritesAtOnceAndSurvivesAnAgentRestart() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.5").start();
    a.awaitUp();
    try (RedisConnection ra = a.redis()) {
      assertNull(ra.trySet("before", "1"));
      long start = System.nanoTime();
      AgentHarness.Reply fenced = a.call("POST", AgentApi.PATH_FENCE, "{\"reason\":\"test\"}");
      String refused = ra.trySet("after", "1");
      long refusedMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(200, fenced.status(), fenced.body());
      assertNotNull(refused, "a write right after the fence answer is refused");
      assertTrue(refused.contains("NOREPLICAS"), refused);
      System.out.println("fence: first_refused_write_ms=" + refusedMs);
      assertTrue(a.status().fenced());
      assertTrue(
          ra.info("replication").isPrimary(), "fencing keeps the role; it only refuses writes");
    }

    a.stop();
    a.start();
    a.awaitUp();
    try (RedisConnection ra = a.redis()) {
      assertTrue(a.status().fenced(), "the fence survives an agent restart");
      assertNotNull(
          ra.trySet("after-restart", "1"), "and Redis refuses writes from its first moment");
      assertEquals("1", ra.sync().get("before"), "reads still work");

      assertEquals(200, a.call("DELETE", AgentApi.PATH_FENCE, null).status());
      assertNull(ra.trySet("unfenced", "1"));
      assertFalse(a.status().fenced());
    }
  }

  @Test
  void refusesMalformedRequestsWithoutSideEffects() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.6").start();
    a.awaitUp();

    assertEquals(200, a.call("GET", AgentApi.PATH_HEALTHZ, null).status());
    assertEquals(200, a.call("GET", AgentApi.PATH_READYZ, null).status());
    AgentHarness.Reply metrics = a.call("GET", AgentApi.PATH_METRICS, null);
    assertEquals(200, metrics.status());
    assertTrue(metrics.body().contains("redis_up{"), metrics.body());
    assertTrue(
        metrics
            .body()
            .matches(
                "(?s).*redis_instance_info\\{[^}]*cluster=\"rc\"[^}]*role=\"master\"[^}]*\\} 1.*"),
        metrics.body());

    String[][] bad = {
      {AgentApi.PATH_REPLICATE, "{not json"},
      {AgentApi.PATH_REPLICATE, "{\"host\":\"127.0.10.9\",\"port\":6379,\"extra\":1}"},
      {AgentApi.PATH_REPLICATE, "{\"host\":\"127.0.10.9\",\"port\":\"6379\"}"},
      {AgentApi.PATH_REPLICATE, "{\"host\":\"127.0.10.9\\nrequirepass x\",\"port\":6379}"},
      {AgentApi.PATH_REPLICATE, "{\"host\":\"127.0.10.9\",\"port\":70000}"},
      {AgentApi.PATH_REPLICATE, ""},
      {AgentApi.PATH_REPLICATE, "[]"},
      {AgentApi.PATH_PROMOTE, "{\"minOffset\":\"ten\"}"},
      {AgentApi.PATH_PROMOTE, ""},
      {AgentApi.PATH_PROMOTE, "{\"timeoutMillis\":1000}"},
      {AgentApi.PATH_PROMOTE, "{\"expectedReplId\":\"x\",\"timeoutMillis\":1000}"},
      {AgentApi.PATH_REPLICATE, "{\"host\":\"127.0.10.9\",\"port\":6379}"},
      {
        AgentApi.PATH_REPLICATE,
        "{\"host\":\"127.0.10.9\",\"port\":6379,\"primaryPod\":\"other-0\"}"
      },
      {AgentApi.PATH_PROMOTE, "{\"expectedReplId\":\"x\",\"unknown\":true}"},
      {AgentApi.PATH_FENCE, "{\"reason\":5}"},
      {AgentApi.PATH_SWITCHOVER, "{\"targetHost\":\"127.0.10.9\",\"targetPort\":6379}"},
      {
        AgentApi.PATH_SWITCHOVER,
        "{\"targetHost\":\"127.0.10.9\",\"targetPort\":6379,\"timeoutMillis\":-1}"
      },
    };
    for (String[] c : bad) {
      AgentHarness.Reply r = a.call("POST", c[0], c[1]);
      assertEquals(400, r.status(), c[0] + " " + c[1] + " -> " + r.body());
      assertEquals(AgentError.BAD_REQUEST, r.as(AgentError.class).code());
    }
    InstanceStatus after = a.status();
    assertEquals(InstanceRole.PRIMARY, after.role(), "no bad request changed the role");
    assertFalse(after.fenced(), "no bad request fenced the instance");
    assertEquals(404, a.call("GET", "/v1/nothing", null).status());
  }

  @Test
  void bootGuardMakesAStalePrimaryAReplicaOfTheRecordedPrimary() throws Exception {
    h.clusterStatus(null, List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.7").start();
    a.awaitUp();
    try (RedisConnection ra = a.redis()) {
      assertNull(ra.trySet("stale", "old-primary-only"), "rc-0 starts writable in a new cluster");
    }
    a.stop();

    // Meanwhile the controller made rc-1 the primary.
    AgentHarness.Node b = h.node(1, "127.0.10.8");
    h.pod("rc-1", b.ip);
    h.clusterStatus("rc-1", List.of());
    b.start();
    b.awaitUp();
    try (RedisConnection rb = b.redis()) {
      assertNull(rb.trySet("fresh", "new-primary"));
    }

    a.start();
    a.awaitUp();
    try (RedisConnection ra = a.redis()) {
      AgentHarness.await(
          "rc-0 synced from rc-1",
          Duration.ofSeconds(10),
          () -> "new-primary".equals(ra.sync().get("fresh")));
      assertNull(ra.sync().get("stale"), "the old dataset was replaced by the primary's");
      assertNotNull(ra.trySet("x", "1"), "rc-0 does not accept writes");
      InstanceStatus st = a.status();
      assertEquals(InstanceRole.REPLICA, st.role());
      assertEquals(b.ip, st.masterHost());
    }
  }

  @Test
  void podWithoutApiServerStartsNonWritable() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.9");
    h.stopApi();
    a.start();
    a.awaitUp();
    try (RedisConnection ra = a.redis()) {
      assertNotNull(ra.trySet("k", "v"), "no API server: no writes until the controller decides");
      assertTrue(a.status().fenced());
      assertEquals(
          200,
          a.call(
                  "POST",
                  AgentApi.PATH_PROMOTE,
                  new PromoteRequest(a.status().masterReplId(), 0L, 3000L))
              .status());
      assertNull(ra.trySet("k", "v"), "the controller's promote makes it writable");
    }
  }

  @Test
  void switchoverLosesNoAcknowledgedWriteUnderAConcurrentWriter() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.10", "127.0.10.11");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer =
        new Thread(
            () -> {
              // Like a client behind the -leader Service: writes to whichever node accepts them.
              try (RedisConnection ra = a.redis();
                  RedisConnection rb = b.redis()) {
                RedisConnection target = ra;
                for (int i = 0; !stop.get(); i++) {
                  String key = "w" + i;
                  if (target.trySet(key, "x") == null) {
                    acked.add(key);
                  } else {
                    target = target == ra ? rb : ra;
                  }
                }
              }
            });
    writer.start();
    AgentHarness.Reply r;
    try {
      AgentHarness.await("the writer writes", Duration.ofSeconds(10), () -> acked.size() >= 50);
      r =
          a.call(
              "POST",
              AgentApi.PATH_SWITCHOVER,
              new SwitchoverRequest(b.ip, AgentApi.REDIS_PORT, 5000));
      int ackedAtAnswer = acked.size();
      AgentHarness.await(
          "writes acknowledged after the answer",
          Duration.ofSeconds(10),
          () -> acked.size() >= ackedAtAnswer + 50);
    } finally {
      stop.set(true);
      writer.join();
    }
    assertEquals(200, r.status(), r.body());
    SwitchoverResult result = r.as(SwitchoverResult.class);
    assertEquals(b.ip, result.newPrimaryHost());
    assertTrue(result.handoffOffset() > 0);
    try (RedisConnection rb = b.redis()) {
      assertEquals("master", rb.info("replication").get("role"));
      List<String> keys = new ArrayList<>(acked);
      long missing = keys.stream().filter(k -> rb.sync().get(k) == null).count();
      System.out.println("switchover: acked=" + acked.size() + " acked_lost=" + missing);
      assertTrue(acked.size() > 100, "the writer made progress: " + acked.size());
      assertEquals(0, missing, "no acknowledged write is lost");
    }
    AgentHarness.await(
        "old primary follows the new one",
        Duration.ofSeconds(10),
        () ->
            a.status().role() == InstanceRole.REPLICA
                && Boolean.TRUE.equals(a.status().masterLinkUp()));
    AgentHarness.await(
        "new primary's agent adopted the role",
        Duration.ofSeconds(5),
        () -> !readConf(b).contains("replicaof"));
    assertTrue(
        Files.readString(a.dataDir.resolve("redis.conf")).contains("replicaof " + b.ip + " 6379"));
  }

  @Test
  void switchoverToAReplicaThatCannotCatchUpResumesWrites() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.12", "127.0.10.13");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    long pid = b.redisPid();
    new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
    try (RedisConnection ra = a.redis()) {
      assertNull(ra.trySet("k", "v")); // the replica now lags behind
      AgentHarness.Reply r =
          a.call(
              "POST",
              AgentApi.PATH_SWITCHOVER,
              new SwitchoverRequest(b.ip, AgentApi.REDIS_PORT, 500));
      assertEquals(504, r.status(), r.body());
      assertEquals(AgentError.TIMEOUT, r.as(AgentError.class).code());
      assertEquals("master", ra.info("replication").get("role"));
      assertNull(ra.trySet("k2", "v2"), "writes resumed on the primary");
    } finally {
      new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
    }
  }

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
  void restartsAKilledRedisWhichRejoinsItsPrimary() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.16", "127.0.10.17");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    long pid = b.redisPid();
    new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
    AgentHarness.await(
        "redis restarted and linked",
        Duration.ofSeconds(15),
        () -> {
          InstanceStatus st = b.status();
          return st.restartCount() >= 1 && st.redisUp() && Boolean.TRUE.equals(st.masterLinkUp());
        });
    assertTrue(b.redisPid() != pid);
    try (RedisConnection ra = a.redis();
        RedisConnection rb = b.redis()) {
      assertNull(ra.trySet("after-kill", "1"));
      AgentHarness.await(
          "replicated after restart",
          Duration.ofSeconds(5),
          () -> "1".equals(rb.sync().get("after-kill")));
    }
    AgentHarness.Reply metrics = b.call("GET", AgentApi.PATH_METRICS, null);
    assertTrue(
        metrics.body().matches("(?s).*redis_restarts_total\\{[^}]*\\} 1\\.0.*"), metrics.body());
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

  @Test
  void replicaFollowsTheRecordedPrimaryToItsNewIp() throws Exception {
    AgentHarness.Node a = h.node(0, "127.0.10.19");
    AgentHarness.Node b = h.node(1, "127.0.10.20");
    h.pod("rc-0", a.ip);
    h.clusterStatus("rc-0", List.of());
    a.start();
    b.start();
    a.awaitUp();
    b.awaitUp();
    AgentHarness.await(
        "replica of rc-0",
        Duration.ofSeconds(10),
        () -> Boolean.TRUE.equals(b.status().masterLinkUp()));
    a.stop();

    // rc-0 is recreated and gets a new pod IP.
    AgentHarness.Node a2 = h.node(0, "127.0.10.21");
    h.pod("rc-0", a2.ip);
    a2.start();
    a2.awaitUp();
    AgentHarness.await(
        "replica follows rc-0 to its new IP",
        Duration.ofSeconds(15),
        () -> {
          InstanceStatus st = b.status();
          return a2.ip.equals(st.masterHost()) && Boolean.TRUE.equals(st.masterLinkUp());
        });
  }

  @Test
  void statusAnswersAtOnceWhileRedisIsStuck() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.22").start();
    a.awaitUp();
    long pid = a.redisPid();
    new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
    try {
      List<Long> latencies = new ArrayList<>();
      boolean reportedDown = false;
      long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      while (System.nanoTime() < until) {
        long start = System.nanoTime();
        InstanceStatus st = a.status();
        latencies.add((System.nanoTime() - start) / 1_000_000);
        reportedDown |= !st.redisUp();
        Thread.sleep(50);
      }
      Collections.sort(latencies);
      long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
      System.out.println(
          "status: redis=stopped samples="
              + latencies.size()
              + " p99_ms="
              + p99
              + " max_ms="
              + latencies.get(latencies.size() - 1));
      assertTrue(reportedDown, "a stuck Redis is reported as down");
      assertEquals(503, a.call("GET", AgentApi.PATH_READYZ, null).status());
      assertTrue(p99 < 1000, "status never waits for Redis: p99 " + p99 + " ms");
    } finally {
      new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
    }
    AgentHarness.await("up again", Duration.ofSeconds(5), () -> a.status().redisUp());
  }

  @Test
  void aHeldStatusRequestAnswersAtOnceWhenRedisDies() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.60").start();
    a.awaitUp();
    AgentHarness.Reply first = a.call("GET", AgentApi.PATH_STATUS, null);
    assertNotNull(first.statusVersion(), "every status answer carries its version");
    String since = settledVersion(a, first.statusVersion());
    java.util.concurrent.CompletableFuture<AgentHarness.Reply> held =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> a.call("GET", AgentApi.PATH_STATUS + "?since=" + since + "&waitMs=10000", null));
    assertThrows(
        java.util.concurrent.TimeoutException.class,
        () -> held.get(500, java.util.concurrent.TimeUnit.MILLISECONDS),
        "an unchanged status is held");
    long killedAt = System.nanoTime();
    new ProcessBuilder("kill", "-KILL", Long.toString(a.redisPid())).start().waitFor();
    AgentHarness.Reply answer = held.get(10, java.util.concurrent.TimeUnit.SECONDS);
    long afterKillMs = (System.nanoTime() - killedAt) / 1_000_000;
    InstanceStatus st = answer.as(InstanceStatus.class);
    System.out.println(
        "status: long-poll answered after redis-server death in " + afterKillMs + " ms");
    assertTrue(st.redisProcessDead() || !st.redisUp(), "the answer reports the dead Redis: " + st);
    assertTrue(!since.equals(answer.statusVersion()));
    assertTrue(
        afterKillMs < 2000, "answered at once, not at the end of the hold: " + afterKillMs + " ms");
  }

  /** The agent's status version once half a second passes without it changing. */
  private static String settledVersion(AgentHarness.Node a, String from)
      throws InterruptedException {
    String[] latest = {from};
    AgentHarness.await(
        "the status settles",
        Duration.ofSeconds(10),
        () -> {
          AgentHarness.Reply r =
              a.call("GET", AgentApi.PATH_STATUS + "?since=" + latest[0] + "&waitMs=500", null);
          boolean unchanged = latest[0].equals(r.statusVersion());
          latest[0] = r.statusVersion();
          return unchanged;
        });
    return latest[0];
  }

  @Test
  void anUnchangedStatusIsAnsweredWithoutItsBody() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.62").start();
    a.awaitUp();
    String version = settledVersion(a, a.call("GET", AgentApi.PATH_STATUS, null).statusVersion());
    java.util.Map<String, String> known =
        java.util.Map.of(AgentApi.IF_NONE_MATCH_HEADER, AgentApi.entityTag(version));

    AgentHarness.Reply unchanged = a.callWithHeaders("GET", AgentApi.PATH_STATUS, known);
    assertEquals(304, unchanged.status());
    assertEquals("", unchanged.body());
    assertEquals(version, unchanged.statusVersion());
    InstanceStatus full = a.status();
    StatusVolatiles moved = StatusVolatiles.parse(unchanged.volatiles());
    assertEquals(full.replicationOffset(), moved.replicationOffset());

    AgentHarness.Reply otherVersion =
        a.callWithHeaders(
            "GET",
            AgentApi.PATH_STATUS,
            java.util.Map.of(AgentApi.IF_NONE_MATCH_HEADER, AgentApi.entityTag(version + "x")));
    assertEquals(200, otherVersion.status(), "a version the agent is not at gets the status");
    assertEquals(full.podName(), otherVersion.as(InstanceStatus.class).podName());

    new ProcessBuilder("kill", "-KILL", Long.toString(a.redisPid())).start().waitFor();
    AgentHarness.await(
        "the dead Redis is answered in full",
        Duration.ofSeconds(10),
        () -> a.callWithHeaders("GET", AgentApi.PATH_STATUS, known).status() == 200);
  }

  @Test
  void aMalformedStatusWaitIsRefused() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.61").start();
    a.awaitUp();
    assertEquals(400, a.call("GET", AgentApi.PATH_STATUS + "?since=x&waitMs=soon", null).status());
  }

  @Test
  void replicaRestartedWithoutApiServerKeepsFollowingItsPrimary() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.23", "127.0.10.24");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    b.stop();
    h.stopApi();
    b.start();
    b.awaitUp();
    AgentHarness.await(
        "replica linked again",
        Duration.ofSeconds(10),
        () -> {
          InstanceStatus st = b.status();
          return st.role() == InstanceRole.REPLICA
              && a.ip.equals(st.masterHost())
              && Boolean.TRUE.equals(st.masterLinkUp());
        });
  }

  private static String readConf(AgentHarness.Node node) {
    try {
      return Files.readString(node.dataDir.resolve("redis.conf"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
