package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How an agent's Redis starts and starts again against real Redis: the boot guard, a pod that
 * cannot reach the API server, a killed Redis, and a replica that follows its recorded primary to a
 * new address or without the API server.
 */
class AgentRestartIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

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
}
