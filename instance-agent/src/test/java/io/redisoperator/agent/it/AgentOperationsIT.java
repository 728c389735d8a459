package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent's operations against real Redis: promotion only past its guard, replication only from a
 * pod of its cluster, fencing that holds across an agent restart, and malformed requests refused
 * without a side effect.
 */
class AgentOperationsIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

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
}
