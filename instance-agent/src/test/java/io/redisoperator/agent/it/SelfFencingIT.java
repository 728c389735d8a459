package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.fencing.SelfFencingPolicy;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.SelfFencing;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A primary cut off from the API server and every replica stops taking writes on its own, within
 * the bound.
 */
class SelfFencingIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  @Test
  void isolatedPrimaryFencesItselfAndOnlyTheApiServerLiftsIt() throws Exception {
    AgentHarness.Node[] pair = h.linkedPair("127.0.11.1", "127.0.11.2");
    AgentHarness.Node a = pair[0];
    AgentHarness.Node b = pair[1];
    int apiPort = Integer.parseInt(h.apiUrl().substring(h.apiUrl().lastIndexOf(':') + 1));

    try (RedisConnection ra = a.redis()) {
      assertNull(ra.trySet("before", "1"));
      AgentHarness.holds(
          "healthy: no false self-fence",
          Duration.ofMillis(1500),
          () -> ra.trySet("still-fine", "1") == null);

      // Isolation: the replica goes away and the API server stops answering. Nobody calls a's /v1
      // meanwhile.
      b.stop();
      h.stopApi();
      long isolatedAt = System.nanoTime();
      AgentHarness.await(
          "self-fence", Duration.ofSeconds(10), () -> ra.trySet("probe", "1") != null);
      long fencedAfterMs = (System.nanoTime() - isolatedAt) / 1_000_000;
      System.out.println(
          "self-fencing: isolated_to_refused_ms="
              + fencedAfterMs
              + " bound_ms="
              + SelfFencing.promotionSafeAfterMillis());
      assertTrue(
          fencedAfterMs <= SelfFencing.promotionSafeAfterMillis(),
          "fenced "
              + fencedAfterMs
              + " ms after isolation, bound "
              + SelfFencing.promotionSafeAfterMillis());
      assertTrue(ra.trySet("probe", "1").contains("NOREPLICAS"));

      InstanceStatus st = a.status();
      assertTrue(st.fenced());
      assertTrue(st.selfFenced());

      // The API server is back but names another primary: the fence stays.
      h.startApi(apiPort);
      h.pod("rc-0", a.ip);
      h.clusterStatus("rc-1", List.of());
      AgentHarness.holds(
          "not the recorded primary: stays fenced",
          Duration.ofMillis(1500),
          () -> ra.trySet("k", "v") != null);
      assertTrue(a.status().selfFenced());

      // Recorded primary but fenced by the controller: stays fenced.
      h.clusterStatus("rc-0", List.of("rc-0"));
      AgentHarness.holds(
          "listed in fencedInstances: stays fenced",
          Duration.ofMillis(1500),
          () -> ra.trySet("k", "v") != null);

      h.clusterStatus("rc-0", List.of());
      AgentHarness.await(
          "self-fence lifted", Duration.ofSeconds(10), () -> ra.trySet("k", "v") == null);
      InstanceStatus after = a.status();
      assertEquals(false, after.fenced());
      assertEquals(false, after.selfFenced());
    }
  }

  @Test
  void aPrimaryTheControllerCannotReachStopsCountingTheApiServerAsContact() throws Exception {
    AgentHarness.Node[] pair = h.linkedPair("127.0.11.7", "127.0.11.8");
    AgentHarness.Node a = pair[0];
    AgentHarness.Node b = pair[1];
    try (RedisConnection ra = a.redis()) {
      // Cut from its replica, nobody polling it, the API server reachable: its reads are contact,
      // it stays writable.
      b.stop();
      AgentHarness.holds(
          "the API server's answers keep it writable",
          Duration.ofMillis(SelfFencing.ISOLATION_MILLIS + 1500),
          () -> ra.trySet("api-keeps-it-writable", "1") == null);

      // The controller records that its polls fail: reads no longer count, it fences itself within
      // the bound the
      // controller's promotion gate waits for after that record.
      h.clusterStatus("rc-0", List.of(), List.of("rc-0"));
      long recordedAt = System.nanoTime();
      AgentHarness.await(
          "self-fence", Duration.ofSeconds(10), () -> ra.trySet("probe", "1") != null);
      long fencedAfterMs = (System.nanoTime() - recordedAt) / 1_000_000;
      long bound =
          SelfFencing.ISOLATION_MILLIS
              + SelfFencing.CHECK_INTERVAL_MILLIS
              + SelfFencing.SAFETY_MARGIN_MILLIS;
      System.out.println(
          "self-fencing: unreachable_record_to_refused_ms=" + fencedAfterMs + " bound_ms=" + bound);
      assertTrue(
          fencedAfterMs <= bound,
          "fenced " + fencedAfterMs + " ms after the record, bound " + bound);

      // The controller reaches it again and clears the record: the self-fence lifts.
      h.clusterStatus("rc-0", List.of(), List.of());
      AgentHarness.await(
          "self-fence lifted", Duration.ofSeconds(20), () -> ra.trySet("k", "v") == null);
    }
  }

  @Test
  void aLonePrimaryPolledByTheControllerLeavesTheApiServerAlone() throws Exception {
    AgentHarness.Node a = h.node(0, "127.0.11.5");
    h.pod("rc-0", a.ip);
    h.clusterStatus("rc-0", List.of());
    a.start();
    a.awaitUp();
    try (RedisConnection ra = a.redis()) {
      // The controller polls every 400 ms: its contact is the evidence, no API reads are needed.
      a.status();
      int before = h.apiRequestCount();
      AgentHarness.holds(
          "answering the controller's polls",
          Duration.ofSeconds(4),
          Duration.ofMillis(400),
          () -> a.status() != null);
      int whilePolled = h.apiRequestCount() - before;
      assertTrue(whilePolled <= 1, "API requests while the controller polled: " + whilePolled);

      // The polls stop (operator restarting): the agent reads the API server instead and stays
      // writable.
      int stoppedAt = h.apiRequestCount();
      AgentHarness.holds(
          "unpolled, it stays writable",
          Duration.ofSeconds(3),
          () -> ra.trySet("still-writable", "1") == null);
      int afterPolls = h.apiRequestCount() - stoppedAt;
      assertTrue(afterPolls >= 2, "API reads once the polls stopped: " + afterPolls);
      System.out.println(
          "self-fencing: lone_primary_api_requests_polled="
              + whilePolled
              + " lone_primary_api_requests_unpolled_3s="
              + afterPolls);
    }
  }

  @Test
  void primaryStopsWritingWhenTheApiServerRecordsItFencedOrAnotherPrimary() throws Exception {
    AgentHarness.Node a = h.node(0, "127.0.11.3");
    h.pod("rc-0", a.ip);
    h.clusterStatus("rc-0", List.of());
    a.start();
    a.awaitUp();
    try (RedisConnection ra = a.redis()) {
      assertNull(ra.trySet("k", "v"));

      h.clusterStatus("rc-0", List.of("rc-0"));
      AgentHarness.await(
          "fenced from status", Duration.ofSeconds(5), () -> ra.trySet("k", "v") != null);
      InstanceStatus st = a.status();
      assertTrue(st.fenced());
      assertEquals(
          false,
          st.selfFenced(),
          "a recorded fence is the controller's, lifted only by the controller");

      h.clusterStatus("rc-0", List.of());
      AgentHarness.holds(
          "a recorded fence outlives its record: only the controller lifts it",
          Duration.ofSeconds(1),
          () -> ra.trySet("k", "v") != null);
      assertEquals(
          200,
          a.call("DELETE", io.redisoperator.protocol.agent.AgentApi.PATH_FENCE, null).status());
      assertNull(ra.trySet("k", "v"));

      AgentHarness.holds(
          "writable through the grace a new primary gives the controller to record it",
          Duration.ofMillis(SelfFencingPolicy.RECORD_CATCH_UP_MILLIS),
          () -> ra.trySet("k", "v") == null);
      h.clusterStatus("rc-1", List.of());
      AgentHarness.await(
          "self-fenced: another primary recorded",
          Duration.ofSeconds(5),
          () -> ra.trySet("k", "v") != null);
      assertTrue(a.status().selfFenced());
    }
  }
}
