package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.FenceRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deposed controller (paused past its lease while another took over) resumes and sends what it
 * had planned: once the agent has seen the successor's epoch, those operations are refused and
 * change nothing.
 */
class LeaderEpochIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  @Test
  void operationsFromADeposedControllerTakeNoEffect() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.42").start();
    a.awaitUp();
    assertEquals(
        200,
        a.callWithEpoch("GET", AgentApi.PATH_STATUS, null, 7).status(),
        "the old leader polls");
    assertEquals(
        200, a.callWithEpoch("GET", AgentApi.PATH_STATUS, null, 8).status(), "its successor polls");

    AgentHarness.Reply deposed =
        a.callWithEpoch("POST", AgentApi.PATH_FENCE, new FenceRequest("stale plan"), 7);
    assertEquals(409, deposed.status(), deposed.body());
    assertEquals(AgentError.CONFLICT, deposed.as(AgentError.class).code());
    assertFalse(a.status().fenced(), "the deposed controller's fence did not happen");

    AgentHarness.Reply current =
        a.callWithEpoch("POST", AgentApi.PATH_FENCE, new FenceRequest("current leader"), 8);
    assertEquals(200, current.status(), current.body());
    AgentHarness.await("fenced", Duration.ofSeconds(5), () -> a.status().fenced());
    assertTrue(a.status().fenced());
  }
}
