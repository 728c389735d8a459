package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import io.redisoperator.protocol.crd.InstanceRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's planned handoff against real Redis: writes pause only while the target catches up and
 * Redis hands over (no wait for the replica's once-a-second ACK), nothing acknowledged is lost, and
 * whatever happens the primary's writes are resumed and its {@code hz} restored. Prints {@code
 * switchover-agent:} lines with the measured pause.
 */
class SwitchoverIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  @Test
  void handsOverUnderWritesWithoutLossAndRestoresHz() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.30", "127.0.10.31");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    String hzBefore;
    try (RedisConnection ra = a.redis()) {
      hzBefore = ra.sync().configGet("hz").get("hz");
    }
    Handoff handoff = switchoverUnderWrites(a, b, 2000);
    List<String> keys = handoff.acked();
    AgentHarness.Reply r = handoff.reply();
    assertEquals(200, r.status(), r.body());
    SwitchoverResult result = r.as(SwitchoverResult.class);
    assertEquals(b.ip, result.newPrimaryHost());
    try (RedisConnection rb = b.redis();
        RedisConnection ra = a.redis()) {
      assertEquals("master", rb.info("replication").get("role"));
      assertEquals("slave", ra.info("replication").get("role"));
      long missing = keys.stream().filter(k -> rb.sync().get(k) == null).count();
      System.out.printf(
          "switchover-agent: acked=%d acked_lost=%d longest_write_wait_ms=%d answered_ms=%d%n",
          keys.size(), missing, handoff.longestWriteWaitMillis(), handoff.answeredMillis());
      assertTrue(keys.size() > 100, "the writer made progress: " + keys.size());
      assertEquals(0, missing, "no acknowledged write is lost");
      assertEquals(hzBefore, ra.sync().configGet("hz").get("hz"), "hz restored on the old primary");
      assertNull(rb.trySet("after", "1"), "the new primary takes writes");
    }
    awaitFollowing(a);
  }

  /**
   * The target is promoted by the old primary's {@code FAILOVER}, not by its own agent, which
   * learns of it from INFO. The controller polls it at once after the old primary's answer: that
   * answer must say primary, not what the last background INFO round left on the board (before, the
   * held long-poll brought the role up to a round later, and the controller took two answers where
   * one does). The target's background rounds are 3 s apart here, so only the answer's own INFO can
   * show the role this soon.
   */
  @Test
  void theTargetAnswersAsPrimaryAtOnceAfterTheHandoff() throws Exception {
    h.clusterStatus(null, List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.34").start();
    AgentHarness.Node b = h.node(1, "127.0.10.35").statusInterval(Duration.ofSeconds(3)).start();
    a.awaitUp();
    b.awaitUp();
    h.pod(a.podName, a.ip);
    h.pod(b.podName, b.ip);
    b.replicateFrom(a);
    AgentHarness.awaitLinked(a, b);
    AgentHarness.Reply handoff = switchover(a, b, 2000);
    assertEquals(200, handoff.status(), handoff.body());
    AgentHarness.Reply first = b.call("GET", AgentApi.PATH_STATUS, null);
    assertEquals(200, first.status(), first.body());
    assertEquals(
        InstanceRole.PRIMARY,
        first.as(InstanceStatus.class).role(),
        "the target's first answer after the handoff: " + first.body());
  }

  @Test
  void targetThatDoesNotAnswerLeavesThePrimaryWritableUnpausedAndAlone() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.32", "127.0.10.33");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    whileRedisStopped(
        b,
        () -> {
          try (RedisConnection ra = a.redis()) {
            String hzBefore = ra.sync().configGet("hz").get("hz");
            assertNull(ra.trySet("k", "v")); // the replica now lags behind
            assertTimesOutAndStaysPrimary(switchover(a, b, 500), ra);
            assertEquals("no-failover", ra.info("replication").get("master_failover_state"));
            long before = System.nanoTime();
            assertNull(ra.trySet("k2", "v2"), "writes resumed on the primary");
            long waitedMillis = (System.nanoTime() - before) / 1_000_000;
            assertTrue(
                waitedMillis < 1000,
                "the write did not wait for the pause to expire: " + waitedMillis + " ms");
            assertEquals(hzBefore, ra.sync().configGet("hz").get("hz"), "hz restored");
          }
        });
    try (RedisConnection rb = b.redis()) {
      AgentHarness.await(
          "the target stays a replica of the primary",
          Duration.ofSeconds(10),
          () ->
              "slave".equals(rb.info("replication").get("role"))
                  && Boolean.TRUE.equals(rb.info("replication").masterLinkUp()));
    }
  }

  @Test
  void switchoverLosesNoAcknowledgedWriteUnderAConcurrentWriter() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.10", "127.0.10.11");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    Handoff handoff = switchoverUnderWrites(a, b, 5000);
    List<String> keys = handoff.acked();
    AgentHarness.Reply r = handoff.reply();
    assertEquals(200, r.status(), r.body());
    SwitchoverResult result = r.as(SwitchoverResult.class);
    assertEquals(b.ip, result.newPrimaryHost());
    assertTrue(result.handoffOffset() > 0);
    try (RedisConnection rb = b.redis()) {
      assertEquals("master", rb.info("replication").get("role"));
      long missing = keys.stream().filter(k -> rb.sync().get(k) == null).count();
      System.out.println("switchover: acked=" + keys.size() + " acked_lost=" + missing);
      assertTrue(keys.size() > 100, "the writer made progress: " + keys.size());
      assertEquals(0, missing, "no acknowledged write is lost");
    }
    awaitFollowing(a);
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
    whileRedisStopped(
        b,
        () -> {
          try (RedisConnection ra = a.redis()) {
            assertNull(ra.trySet("k", "v")); // the replica now lags behind
            assertTimesOutAndStaysPrimary(switchover(a, b, 500), ra);
            assertNull(ra.trySet("k2", "v2"), "writes resumed on the primary");
          }
        });
  }

  /** Asks {@code from}'s agent to hand its primary role over to {@code to} within the timeout. */
  private static AgentHarness.Reply switchover(
      AgentHarness.Node from, AgentHarness.Node to, long timeoutMillis) {
    return from.call(
        "POST",
        AgentApi.PATH_SWITCHOVER,
        new SwitchoverRequest(to.ip, AgentApi.REDIS_PORT, timeoutMillis));
  }

  /**
   * The switchover's answer, how long it took, the writes acknowledged all along and the longest a
   * write waited.
   */
  private record Handoff(
      AgentHarness.Reply reply,
      long answeredMillis,
      List<String> acked,
      long longestWriteWaitMillis) {}

  /**
   * Asks {@code from} to hand over to {@code to} while a writer follows the primary: once it has
   * written a little, then until it has written more after the answer (writes resumed, wherever
   * they go); the writer is stopped whatever happens.
   */
  private static Handoff switchoverUnderWrites(
      AgentHarness.Node from, AgentHarness.Node to, long timeoutMillis)
      throws InterruptedException {
    FollowingWriter writer = FollowingWriter.start(from, to);
    AgentHarness.Reply reply;
    long answeredMillis;
    try {
      AgentHarness.await(
          "the writer writes", Duration.ofSeconds(10), () -> writer.ackedCount() >= 50);
      long started = System.nanoTime();
      reply = switchover(from, to, timeoutMillis);
      answeredMillis = (System.nanoTime() - started) / 1_000_000;
      int ackedAtAnswer = writer.ackedCount();
      AgentHarness.await(
          "writes acknowledged after the answer",
          Duration.ofSeconds(10),
          () -> writer.ackedCount() >= ackedAtAnswer + 50);
    } finally {
      writer.close();
    }
    return new Handoff(reply, answeredMillis, writer.acked(), writer.longestWaitMillis());
  }

  /** The old primary's agent reports it a replica with its link to the new primary up. */
  private static void awaitFollowing(AgentHarness.Node oldPrimary) throws InterruptedException {
    AgentHarness.await(
        "old primary follows the new one",
        Duration.ofSeconds(10),
        () ->
            oldPrimary.status().role() == InstanceRole.REPLICA
                && Boolean.TRUE.equals(oldPrimary.status().masterLinkUp()));
  }

  /** A switchover to a target that cannot catch up: refused as timed out, the primary kept. */
  private static void assertTimesOutAndStaysPrimary(
      AgentHarness.Reply reply, RedisConnection primary) {
    assertEquals(504, reply.status(), reply.body());
    assertEquals(AgentError.TIMEOUT, reply.as(AgentError.class).code());
    assertEquals("master", primary.info("replication").get("role"));
  }

  /**
   * Runs {@code body} while {@code node}'s redis-server is stopped by SIGSTOP (it neither answers
   * nor dies), and lets it run again (SIGCONT) whatever happens.
   */
  private static void whileRedisStopped(AgentHarness.Node node, Body body) throws Exception {
    String pid = Long.toString(node.redisPid());
    new ProcessBuilder("kill", "-STOP", pid).start().waitFor();
    try {
      body.run();
    } finally {
      new ProcessBuilder("kill", "-CONT", pid).start().waitFor();
    }
  }

  /** What a test does while a redis-server is stopped. */
  @FunctionalInterface
  private interface Body {
    void run() throws Exception;
  }

  private static String readConf(AgentHarness.Node node) {
    try {
      return Files.readString(node.dataDir.resolve("redis.conf"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
