package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's planned handoff against real Redis: writes pause only while the target catches up and
 * Redis hands over (no wait for the replica's once-a-second ACK), nothing acknowledged is lost, and
 * whatever happens the primary's writes are resumed and its {@code hz} restored. Prints {@code
 * switchover-agent:} lines with the measured pause.
 */
class SwitchoverIT {
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
  void handsOverUnderWritesWithoutLossAndRestoresHz() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.30", "127.0.10.31");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    String hzBefore;
    try (RedisConnection ra = a.redis()) {
      hzBefore = ra.sync().configGet("hz").get("hz");
    }
    Map<String, Long> ackedAt = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    long[] longestWait = new long[1];
    Thread writer =
        new Thread(
            () -> {
              // Like a client behind the -leader Service: writes to whichever node accepts them.
              try (RedisConnection ra = a.redis();
                  RedisConnection rb = b.redis()) {
                RedisConnection target = ra;
                long lastAck = System.nanoTime();
                for (int i = 0; !stop.get(); i++) {
                  String key = "w" + i;
                  if (target.trySet(key, "x") == null) {
                    long now = System.nanoTime();
                    ackedAt.put(key, now);
                    longestWait[0] = Math.max(longestWait[0], now - lastAck);
                    lastAck = now;
                  } else {
                    target = target == ra ? rb : ra;
                  }
                }
              }
            });
    writer.start();
    AgentHarness.Reply r;
    long answeredMillis;
    try {
      AgentHarness.await("the writer writes", Duration.ofSeconds(10), () -> ackedAt.size() >= 50);
      long started = System.nanoTime();
      r =
          a.call(
              "POST",
              AgentApi.PATH_SWITCHOVER,
              new SwitchoverRequest(b.ip, AgentApi.REDIS_PORT, 2000));
      answeredMillis = (System.nanoTime() - started) / 1_000_000;
      int ackedAtAnswer = ackedAt.size();
      AgentHarness.await(
          "writes acknowledged after the answer",
          Duration.ofSeconds(10),
          () -> ackedAt.size() >= ackedAtAnswer + 50);
    } finally {
      stop.set(true);
      writer.join();
    }
    assertEquals(200, r.status(), r.body());
    SwitchoverResult result = r.as(SwitchoverResult.class);
    assertEquals(b.ip, result.newPrimaryHost());
    try (RedisConnection rb = b.redis();
        RedisConnection ra = a.redis()) {
      assertEquals("master", rb.info("replication").get("role"));
      assertEquals("slave", ra.info("replication").get("role"));
      List<String> keys = new ArrayList<>(ackedAt.keySet());
      long missing = keys.stream().filter(k -> rb.sync().get(k) == null).count();
      System.out.printf(
          "switchover-agent: acked=%d acked_lost=%d longest_write_wait_ms=%d answered_ms=%d%n",
          keys.size(), missing, longestWait[0] / 1_000_000, answeredMillis);
      assertTrue(keys.size() > 100, "the writer made progress: " + keys.size());
      assertEquals(0, missing, "no acknowledged write is lost");
      assertEquals(hzBefore, ra.sync().configGet("hz").get("hz"), "hz restored on the old primary");
      assertNull(rb.trySet("after", "1"), "the new primary takes writes");
    }
    AgentHarness.await(
        "old primary follows the new one",
        Duration.ofSeconds(10),
        () -> Boolean.TRUE.equals(a.status().masterLinkUp()));
  }

  @Test
  void targetThatDoesNotAnswerLeavesThePrimaryWritableUnpausedAndAlone() throws Exception {
    AgentHarness.Node[] n = h.newPair("127.0.10.32", "127.0.10.33");
    AgentHarness.Node a = n[0];
    AgentHarness.Node b = n[1];
    long pid = b.redisPid();
    new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
    try (RedisConnection ra = a.redis()) {
      String hzBefore = ra.sync().configGet("hz").get("hz");
      assertNull(ra.trySet("k", "v")); // the replica now lags behind
      AgentHarness.Reply r =
          a.call(
              "POST",
              AgentApi.PATH_SWITCHOVER,
              new SwitchoverRequest(b.ip, AgentApi.REDIS_PORT, 500));
      assertEquals(504, r.status(), r.body());
      assertEquals(AgentError.TIMEOUT, r.as(AgentError.class).code());
      assertEquals("master", ra.info("replication").get("role"));
      assertEquals("no-failover", ra.info("replication").get("master_failover_state"));
      long before = System.nanoTime();
      assertNull(ra.trySet("k2", "v2"), "writes resumed on the primary");
      long waitedMillis = (System.nanoTime() - before) / 1_000_000;
      assertTrue(
          waitedMillis < 1000,
          "the write did not wait for the pause to expire: " + waitedMillis + " ms");
      assertEquals(hzBefore, ra.sync().configGet("hz").get("hz"), "hz restored");
    } finally {
      new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
    }
    try (RedisConnection rb = b.redis()) {
      AgentHarness.await(
          "the target stays a replica of the primary",
          Duration.ofSeconds(10),
          () ->
              "slave".equals(rb.info("replication").get("role"))
                  && Boolean.TRUE.equals(rb.info("replication").masterLinkUp()));
    }
  }
}
