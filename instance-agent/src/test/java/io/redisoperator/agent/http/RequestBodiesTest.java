package io.redisoperator.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.protocol.agent.PromoteRequest;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

  @Test
  void aPromotionIsNeverUnguarded() {
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote(""));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{}"));
    assertThrows(
        RequestBodies.BadRequest.class,
        () -> RequestBodies.promote("{\"minOffset\":1,\"timeoutMillis\":250}"));
    assertThrows(
        RequestBodies.BadRequest.class,
        () -> RequestBodies.promote("{\"expectedReplId\":\"a\",\"timeoutMillis\":250}"));
    assertThrows(
        RequestBodies.BadRequest.class,
        () -> RequestBodies.promote("{\"expectedReplId\":\"a\",\"minOffset\":1}"));
  }

  @Test
  void guardedPromotionKeepsItsGuards() throws Exception {
    PromoteRequest r =
        RequestBodies.promote(
            "{\"expectedReplId\":\"abc\",\"minOffset\":42,\"timeoutMillis\":250}");
    assertEquals("abc", r.expectedReplId());
    assertEquals(42L, r.minOffset());
    assertEquals(250L, r.timeoutMillis());
  }

  @Test
  void promoteTimeoutIsBoundedAndTheEarlierDeadlineWins() throws Exception {
    assertThrows(
        RequestBodies.BadRequest.class,
        () ->
            RequestBodies.promote(
                "{\"expectedReplId\":\"a\",\"minOffset\":1,\"timeoutMillis\":0}"));
    assertThrows(
        RequestBodies.BadRequest.class,
        () ->
            RequestBodies.promote(
                "{\"expectedReplId\":\"a\",\"minOffset\":1,\"timeoutMillis\":600000}"));
    long received = 1_000_000_000L;
    long agentDeadline = received + 10_000_000_000L;
    assertEquals(
        received + 250_000_000L,
        OperationRoutes.executeBy(new PromoteRequest("a", 1L, 250L), received, agentDeadline));
    assertEquals(
        agentDeadline,
        OperationRoutes.executeBy(new PromoteRequest("a", 1L, 60_000L), received, agentDeadline));
  }

  @Test
  void replicateNeedsAValidEndpoint() throws Exception {
    assertEquals(
        new Endpoint("10.0.0.5", 6379),
        RequestBodies.replicate(
                "{\"host\":\"10.0.0.5\",\"port\":6379,\"primaryPod\":\"c-1\"}",
                "10.0.0.6",
                6379,
                "c")
            .primary());
    assertThrows(
        RequestBodies.BadRequest.class,
        () ->
            RequestBodies.replicate(
                "{\"host\":\"10.0.0.6\",\"port\":6379,\"primaryPod\":\"c-1\"}",
                "10.0.0.6",
                6379,
                "c"));
    assertThrows(
        RequestBodies.BadRequest.class,
        () ->
            RequestBodies.replicate("{\"host\":\"10.0.0.5\",\"port\":6379}", "10.0.0.6", 6379, "c"),
        "the source must be named");
    assertThrows(
        RequestBodies.BadRequest.class,
        () ->
            RequestBodies.replicate(
                "{\"host\":\"10.0.0.5\",\"port\":6379,\"primaryPod\":\"d-1\"}",
                "10.0.0.6",
                6379,
                "c"),
        "a pod of another cluster is no source");
    assertThrows(
        RequestBodies.BadRequest.class,
        () -> RequestBodies.replicate("{\"host\":\"a b\",\"port\":6379}", "x", 1, "c"));
    assertThrows(
        RequestBodies.BadRequest.class,
        () -> RequestBodies.replicate("{\"host\":\"h\\nx\",\"port\":6379}", "x", 1, "c"));
    assertThrows(
        RequestBodies.BadRequest.class,
        () -> RequestBodies.replicate("{\"host\":\"h\",\"port\":0}", "x", 1, "c"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.replicate("", "x", 1, "c"));
  }

  @Test
  void fieldsANewerControllerAddsAreIgnored() throws Exception {
    assertEquals(
        new PromoteRequest("a", 1L, 250L),
        RequestBodies.promote(
            "{\"expectedReplId\":\"a\",\"minOffset\":1,\"timeoutMillis\":250,\"leaseEpoch\":9,\"hint\":{\"x\":1}}"));
    assertEquals(
        "why", RequestBodies.fenceReason("{\"reason\":\"why\",\"issuedBy\":\"controller-2\"}"));
  }

  @Test
  void wrongTypesAreBadRequests() {
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.fenceReason("{\"reason\":5}"));
    assertThrows(
        RequestBodies.BadRequest.class, () -> RequestBodies.fenceReason("{\"reason\":true}"));
    assertThrows(
        RequestBodies.BadRequest.class, () -> RequestBodies.promote("{\"minOffset\":\"7\"}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{\"other\":1}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{\"minOffset\":-1}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("{} {}"));
    assertThrows(RequestBodies.BadRequest.class, () -> RequestBodies.promote("null"));
  }

  @Test
  void switchoverTimeoutIsBounded() throws Exception {
    RequestBodies.Switchover s =
        RequestBodies.switchover(
            "{\"targetHost\":\"10.0.0.7\",\"targetPort\":6379,\"timeoutMillis\":5000}");
    assertEquals(new Endpoint("10.0.0.7", 6379), s.target());
    assertEquals(5000, s.timeoutMillis());
    assertThrows(
        RequestBodies.BadRequest.class,
        () ->
            RequestBodies.switchover(
                "{\"targetHost\":\"10.0.0.7\",\"targetPort\":6379,\"timeoutMillis\":600000}"));
  }

  @Test
  void fenceReasonDefaultsWhenAbsent() throws Exception {
    assertEquals("requested by the controller", RequestBodies.fenceReason(""));
    assertEquals("maintenance", RequestBodies.fenceReason("{\"reason\":\"maintenance\"}"));
  }
}
