package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.StatusVolatiles;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's status against real Redis: what it reports matches Redis's INFO, it answers at once
 * whatever Redis does (stuck or dead), and its long-poll and conditional answers.
 */
class AgentIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

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
}
