package io.redisoperator.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.protocol.agent.PromoteRequest;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

  @Test
  void emptyPromoteBodyIsAnUnguardedPromotion() throws Exception {
    assertEquals(PromoteRequest.unguarded(), RequestBodies.promote(""));
  }

  @Test
  void guardedPromotionKeepsItsGuards() throws Exception {
    PromoteRequest r = RequestBodies.promote("{\"expectedReplId\":\"abc\",\"minOffset\":42}");
    assertEquals("abc", r.expectedReplId());
    assertEquals(42L, r.minOffset());
  }

  @Test
  void promoteTimeoutIsBoundedAndTheEarlierDeadlineWins() throws Exception {
    assertEquals(250L, RequestBodies.promote("{\"timeoutMillis\":250}").timeoutMillis());
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{\"timeoutMillis\":0}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{\"timeoutMillis\":600000}"));
    long received = 1_000_000_000L;
    long agentDeadline = received + 10_000_000_000L;
    assertEquals(received + 250_000_000L,
        AgentRoutes.executeBy(new PromoteRequest(null, null, 250L), received, agentDeadline));
    assertEquals(agentDeadline, AgentRoutes.executeBy(new PromoteRequest(null, null, 60_000L), received, agentDeadline));
    assertEquals(agentDeadline, AgentRoutes.executeBy(PromoteRequest.unguarded(), received, agentDeadline));
  }

  @Test
  void replicateNeedsAValidEndpoint() throws Exception {
    assertEquals(new Endpoint("10.0.0.5", 6379), RequestBodies.replicate("{\"host\":\"10.0.0.5\",\"port\":6379}", "10.0.0.6", 6379));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.replicate("{\"host\":\"10.0.0.6\",\"port\":6379}", "10.0.0.6", 6379));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.replicate("{\"host\":\"a b\",\"port\":6379}", "x", 1));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.replicate("{\"host\":\"h\\nx\",\"port\":6379}", "x", 1));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.replicate("{\"host\":\"h\",\"port\":0}", "x", 1));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.replicate("", "x", 1));
  }

  @Test
  void wrongTypesAndUnknownFieldsAreBadRequests() {
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.fenceReason("{\"reason\":5}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.fenceReason("{\"reason\":true}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{\"minOffset\":\"7\"}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{\"other\":1}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{\"minOffset\":-1}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{} {}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("null"));
  }

  @Test
  void switchoverTimeoutIsBounded() throws Exception {
    RequestBodies.Switchover s =
        RequestBodies.switchover("{\"targetHost\":\"10.0.0.7\",\"targetPort\":6379,\"timeoutMillis\":5000}");
    assertEquals(new Endpoint("10.0.0.7", 6379), s.target());
    assertEquals(5000, s.timeoutMillis());
    assertThrows(RequestBodies.BadRequest.class,
        () -> RequestBodies.switchover("{\"targetHost\":\"10.0.0.7\",\"targetPort\":6379,\"timeoutMillis\":600000}"));
  }

  @Test
  void fenceReasonDefaultsWhenAbsent() throws Exception {
    assertEquals("requested by the controller", RequestBodies.fenceReason(""));
    assertEquals("maintenance", RequestBodies.fenceReason("{\"reason\":\"maintenance\"}"));
  }
}
