package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentOpCooldownTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void aRequestIsRecentForTheCooldownUnlessRefused() {
    AgentOpCooldown cooldown = new AgentOpCooldown(Duration.ofSeconds(5));
    cooldown.sent("fence/c-1/10.0.0.2", T0);
    cooldown.sent("unfence/c-2/10.0.0.3", T0);
    cooldown.expire(T0.plusSeconds(5));
    assertTrue(cooldown.isRecent("fence/c-1/10.0.0.2"));
    cooldown.refused("unfence/c-2/10.0.0.3");
    assertFalse(cooldown.isRecent("unfence/c-2/10.0.0.3"));
    cooldown.expire(T0.plusSeconds(6));
    assertFalse(cooldown.isRecent("fence/c-1/10.0.0.2"));
  }
}
