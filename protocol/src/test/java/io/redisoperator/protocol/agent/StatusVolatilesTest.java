package io.redisoperator.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.crd.InstanceRole;
import org.junit.jupiter.api.Test;

class StatusVolatilesTest {

  private static InstanceStatus replica(Long offset, Long lastIo, long uptime) {
    return InstanceStatus.builder("c-1")
        .role(InstanceRole.REPLICA)
        .redisUp(true)
        .masterHost("10.0.0.1")
        .masterPort(6379)
        .masterLinkUp(true)
        .replicationOffset(offset)
        .masterLastIoSecondsAgo(lastIo)
        .agentUptimeSeconds(uptime)
        .build();
  }

  @Test
  void anUnchangedAnswerMakesTheKnownStatusWhatAFullAnswerWouldHaveSaid() {
    InstanceStatus known = replica(100L, 0L, 10);
    InstanceStatus now = replica(250L, 3L, 12);

    String header = StatusVolatiles.of(now).header();
    InstanceStatus rebuilt = StatusVolatiles.parse(header).applyTo(known);

    assertEquals(now, rebuilt);
  }

  @Test
  void unknownValuesStayUnknown() {
    InstanceStatus now = replica(null, null, 7);

    StatusVolatiles parsed = StatusVolatiles.parse(StatusVolatiles.of(now).header());

    assertEquals(new StatusVolatiles(null, null, 7), parsed);
    assertEquals(now, parsed.applyTo(replica(5L, 1L, 1)));
  }

  @Test
  void fieldsOfALaterAgentAreSkipped() {
    assertEquals(
        new StatusVolatiles(9L, null, 3),
        StatusVolatiles.parse("replicationOffset=9;somethingNew=4;agentUptimeSeconds=3"));
  }

  @Test
  void aMalformedHeaderIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> StatusVolatiles.parse("replicationOffset=x"));
    assertTrue(e.getMessage().contains("malformed"));
    assertThrows(IllegalArgumentException.class, () -> StatusVolatiles.parse("garbage"));
    assertThrows(IllegalArgumentException.class, () -> StatusVolatiles.parse(null));
  }

  @Test
  void entityTagsMatchAsHttpComparesThem() {
    String tag = AgentApi.entityTag("k3x.7");
    assertEquals("\"k3x.7\"", tag);
    assertTrue(AgentApi.matchesEntityTag(tag, "k3x.7"));
    assertTrue(AgentApi.matchesEntityTag("\"a.1\", W/\"k3x.7\"", "k3x.7"));
    assertTrue(AgentApi.matchesEntityTag("*", "k3x.7"));
    assertFalse(AgentApi.matchesEntityTag(tag, "k3x.8"));
    assertFalse(AgentApi.matchesEntityTag(null, "k3x.7"));
  }
}
