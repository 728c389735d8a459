package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.SelfFencing;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the controller may promote another instance on must be true: "process not running" only when
 * the child is gone, "fenced" only once Redis applied it, a promotion never after the caller's
 * deadline, and a primary whose death was reported never comes back writable on its own while that
 * report may still be acted on. Addresses 127.0.15.x.
 */
class FenceTruthIT {
  /** Keeps Redis busy (every other client waits) for 800 ms without writing anything. */
  private static final String BUSY_800_MS =
      "local t = redis.call('TIME') local start = t[1] * 1000000 + t[2] "
          + "while true do local n = redis.call('TIME') if n[1] * 1000000 + n[2] - start > 800000 then break end end "
          + "return 1";

  @RegisterExtension final AgentHarness h = new AgentHarness();

  private static void signal(String sig, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor();
  }

  /**
   * The fence asked of {@code node} is the operation in flight: its marker is on disk, written
   * before Redis is told, so anything asked now queues behind it.
   */
  private static void awaitFenceInFlight(AgentHarness.Node node) throws Exception {
    AgentHarness.await(
        "the fence is in flight",
        Duration.ofSeconds(10),
        () -> {
          try {
            return FenceMarker.load(node.dataDir).isPresent();
          } catch (java.io.IOException e) {
            return false;
          }
        });
  }

  /**
   * Redis is inside the script: a PING from {@code probe}, a client connected before the script was
   * sent, gets no answer within 100 ms (it is answered once the script ends).
   */
  private static void awaitInScript(RedisConnection probe) throws Exception {
    AgentHarness.await(
        "Redis is busy in the script",
        Duration.ofSeconds(5),
        () -> {
          try {
            probe.async().ping().toCompletableFuture().get(100, TimeUnit.MILLISECONDS);
            return false;
          } catch (TimeoutException e) {
            return true;
          } catch (Exception e) {
            return false;
          }
        });
  }

  private AgentHarness.Node primary(String ip) throws Exception {
    AgentHarness.Node a = h.node(0, ip);
    h.pod("rc-0", a.ip);
    h.clusterStatus("rc-0", List.of());
    a.start();
    a.awaitUp();
    return a;
  }

  @Test
  void aStuckRedisIsNotReportedDeadAndAFenceItDidNotApplyIsNotReportedFenced() throws Exception {
    AgentHarness.Node a = primary("127.0.15.1");
    long pid = a.redisPid();
    try (RedisConnection ra = a.redis()) {
      assertNull(ra.trySet("k", "v"));
      signal("STOP", pid);
      try {
        AgentHarness.await(
            "INFO stops answering", Duration.ofSeconds(5), () -> !a.status().redisUp());
        InstanceStatus stuck = a.status();
        assertEquals(
            Boolean.TRUE, stuck.redisProcessRunning(), "a stuck Redis is alive: no proof of death");
        assertFalse(stuck.redisProcessDead());

        AgentHarness.Reply fence = a.call("POST", AgentApi.PATH_FENCE, "{\"reason\":\"test\"}");
        assertEquals(503, fence.status(), "Redis did not confirm the fence: " + fence.body());
        InstanceStatus recorded = a.status();
        assertFalse(recorded.fenced(), "recorded but not applied: not an acknowledgement");
        assertFalse(recorded.selfFenced());
        String metrics = a.call("GET", AgentApi.PATH_METRICS, null).body();
        assertTrue(
            metrics.matches("(?s).*redis_operator_agent_fence_recorded\\{[^}]*\\} 1\\.0.*"),
            metrics);
        assertTrue(
            metrics.matches("(?s).*redis_operator_agent_fenced\\{[^}]*\\} 0\\.0.*"), metrics);
      } finally {
        signal("CONT", pid);
      }
      // Once Redis answers again the agent applies the fence itself; only then is it reported.
      AgentHarness.await(
          "fence applied and reported", Duration.ofSeconds(10), () -> a.status().fenced());
      String refused = ra.trySet("k2", "v");
      assertNotNull(refused);
      assertTrue(refused.contains("NOREPLICAS"), refused);
      assertEquals(
          "1000000", ra.sync().configGet("min-replicas-to-write").get("min-replicas-to-write"));
    }
  }

  @Test
  void aCrashNobodyWasToldAboutRestartsWritableAtOnce() throws Exception {
    AgentHarness.Node a = primary("127.0.15.2");
    long pid = a.redisPid();
    try (RedisConnection ra = a.redis()) {
      long killedAt = System.nanoTime();
      signal("KILL", pid);
      // Nobody polls the agent meanwhile: a one-instance cluster restarts fast and writable.
      AgentHarness.await(
          "writable again", Duration.ofSeconds(10), () -> ra.trySet("after", "1") == null);
      long restartMs = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.println("fence-truth: unreported_crash_restart_ms=" + restartMs);
      assertTrue(restartMs < 3000, "restart took " + restartMs + " ms");
    }
    InstanceStatus st = a.status();
    assertEquals(1, st.restartCount());
    assertEquals(Boolean.TRUE, st.redisProcessRunning());
    assertFalse(st.fenced());
  }

  @Test
  void aPrimaryWhoseDeathWasReportedComesBackHeldUntilTheReportExpires() throws Exception {
    AgentHarness.Node a = primary("127.0.15.3");
    long pid = a.redisPid();
    signal("KILL", pid);
    // The controller polls during the crash and sees the process dead: it may fence a and promote
    // another on that.
    AgentHarness.await(
        "process reported dead", Duration.ofSeconds(5), () -> a.status().redisProcessDead());
    AgentHarness.await("restarted", Duration.ofSeconds(10), () -> a.status().redisUp());
    long lastReportAt = System.nanoTime();
    InstanceStatus held = a.status();
    assertTrue(held.fenced(), "held after a reported death, and Redis applied the hold: " + held);
    assertEquals(InstanceRole.PRIMARY, held.role());
    try (RedisConnection ra = a.redis()) {
      assertNotNull(ra.trySet("k", "v"), "not writable while the controller may act on the report");
      // No controller any more: once the report has expired, the agent's own API reads may resolve
      // the hold.
      AgentHarness.await(
          "hold resolved from the API", Duration.ofSeconds(15), () -> ra.trySet("k", "v") == null);
      long heldMs = (System.nanoTime() - lastReportAt) / 1_000_000;
      System.out.println("fence-truth: held_after_reported_death_ms=" + heldMs);
      assertTrue(
          heldMs >= SelfFencing.UNWRITABLE_REPORT_VALIDITY_MILLIS - 100,
          "resolved after only " + heldMs + " ms");
    }
  }

  @Test
  void aPrimaryThatHadReplicasStaysDownAfterACrashAndTheControllerResolvesItsHold()
      throws Exception {
    AgentHarness.Node[] pair = h.linkedPair("127.0.15.4", "127.0.15.5");
    AgentHarness.Node a = pair[0];
    AgentHarness.Node b = pair[1];
    // The replica goes away first: at the crash the primary has none connected, but it had one.
    b.stop();
    AgentHarness.await(
        "replica gone", Duration.ofSeconds(10), () -> a.status().connectedReplicas().isEmpty());
    long killedAt = System.nanoTime();
    signal("KILL", a.redisPid());
    AgentHarness.await(
        "process reported dead", Duration.ofSeconds(5), () -> a.status().redisProcessDead());
    AgentHarness.await("restarted", Duration.ofSeconds(15), () -> a.status().redisUp());
    long downMs = (System.nanoTime() - killedAt) / 1_000_000;
    System.out.println("fence-truth: crashed_primary_with_replica_history_down_ms=" + downMs);
    assertTrue(
        downMs >= 4500, "restarted after " + downMs + " ms: the controller had no time to promote");
    try (RedisConnection ra = a.redis()) {
      assertTrue(a.status().fenced());
      assertNotNull(ra.trySet("k", "v"));
      // The controller, seeing it back and still recorded primary, unfences it.
      assertEquals(200, a.call("DELETE", AgentApi.PATH_FENCE, null).status());
      assertNull(ra.trySet("k", "v"));
      assertFalse(a.status().fenced());
    }
  }

  @Test
  void aSwitchoverQueuedLongerThanItsHandoffTimeoutIsNeverStarted() throws Exception {
    AgentHarness.Node[] pair = h.linkedPair("127.0.15.8", "127.0.15.9");
    AgentHarness.Node a = pair[0];
    AgentHarness.Node b = pair[1];
    long pid = a.redisPid();

    // The primary's agent is busy with an operation its stuck Redis holds up; the switchover waits
    // behind it longer
    // than its own handoff timeout, by when the controller may have stopped waiting for it: it must
    // not start.
    signal("STOP", pid);
    AgentHarness.Reply queued;
    try {
      CompletableFuture<AgentHarness.Reply> slow =
          CompletableFuture.supplyAsync(
              () -> a.call("POST", AgentApi.PATH_FENCE, "{\"reason\":\"test\"}"));
      awaitFenceInFlight(a);
      queued =
          a.call(
              "POST",
              AgentApi.PATH_SWITCHOVER,
              new SwitchoverRequest(b.ip, AgentApi.REDIS_PORT, 200));
      System.out.println(
          "fence-truth: queued_switchover_status="
              + queued.status()
              + " first_op_status="
              + slow.join().status());
    } finally {
      signal("CONT", pid);
    }
    assertEquals(408, queued.status(), queued.body());
    assertEquals(AgentError.TIMEOUT, queued.as(AgentError.class).code());
    AgentHarness.await(
        "rc-1 still follows rc-0",
        Duration.ofSeconds(5),
        () -> b.status().role() == InstanceRole.REPLICA && a.ip.equals(b.status().masterHost()));
  }

  @Test
  void aPromotionPastTheCallersDeadlineIsRefused() throws Exception {
    AgentHarness.Node[] pair = h.linkedPair("127.0.15.6", "127.0.15.7");
    AgentHarness.Node a = pair[0];
    AgentHarness.Node b = pair[1];
    long pid = b.redisPid();
    String replId = b.status().masterReplId();

    // Queued behind a slow operation (a fence Redis, stuck, does not confirm): expires in the
    // queue.
    signal("STOP", pid);
    AgentHarness.Reply queued;
    try {
      CompletableFuture<AgentHarness.Reply> slow =
          CompletableFuture.supplyAsync(
              () -> b.call("POST", AgentApi.PATH_FENCE, "{\"reason\":\"test\"}"));
      awaitFenceInFlight(b);
      long sentAt = System.nanoTime();
      queued = b.call("POST", AgentApi.PATH_PROMOTE, new PromoteRequest(replId, 0L, 300L));
      System.out.println(
          "fence-truth: queued_promote_answered_ms="
              + (System.nanoTime() - sentAt) / 1_000_000
              + " status="
              + queued.status()
              + " first_op_status="
              + slow.join().status());
    } finally {
      signal("CONT", pid);
    }
    assertEquals(408, queued.status(), queued.body());
    assertEquals(AgentError.TIMEOUT, queued.as(AgentError.class).code());
    assertEquals(200, b.call("DELETE", AgentApi.PATH_FENCE, null).status());

    // Started in time, but Redis (busy in a script) answers the guard's INFO only after the
    // deadline: refused before
    // REPLICAOF NO ONE.
    AgentHarness.await("up again", Duration.ofSeconds(5), () -> b.status().redisUp());
    AgentHarness.Reply lateReply;
    try (RedisConnection busy = b.redis();
        RedisConnection probe = b.redis()) {
      busy.ping();
      probe.ping();
      CompletableFuture<Object> script =
          CompletableFuture.supplyAsync(
              () ->
                  busy.sync()
                      .evalReadOnly(
                          BUSY_800_MS.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                          io.lettuce.core.ScriptOutputType.INTEGER,
                          new String[0]));
      awaitInScript(probe);
      lateReply = b.call("POST", AgentApi.PATH_PROMOTE, new PromoteRequest(replId, 0L, 300L));
      script.join();
    }
    assertEquals(408, lateReply.status(), lateReply.body());
    try (RedisConnection rb = b.redis()) {
      assertEquals("slave", rb.info("replication").get("role"), "no refused promotion happened");
    }

    AgentHarness.Reply inTime =
        b.call("POST", AgentApi.PATH_PROMOTE, new PromoteRequest(replId, 0L, 3000L));
    assertEquals(200, inTime.status(), inTime.body());
    try (RedisConnection rb = b.redis()) {
      assertEquals("master", rb.info("replication").get("role"));
    }
  }
}
