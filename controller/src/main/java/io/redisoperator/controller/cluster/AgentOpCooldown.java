package io.redisoperator.controller.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Agent operations sent recently, by {@link
 * io.redisoperator.controller.reconcile.Action.AgentOperation#cooldownKey}: the same request is not
 * repeated while its effect may not have shown in a poll yet, unless the agent clearly refused it.
 */
final class AgentOpCooldown {
  private final Duration cooldown;
  private final Map<String, Instant> sentAt = new HashMap<>();

  AgentOpCooldown(Duration cooldown) {
    this.cooldown = cooldown;
  }

  void sent(String key, Instant now) {
    sentAt.put(key, now);
  }

  /** A clear refusal (not a timeout, whose request may still land) may be retried at once. */
  void refused(String key) {
    sentAt.remove(key);
  }

  /** Forgets the requests sent longer than the cooldown ago. */
  void expire(Instant now) {
    sentAt.values().removeIf(at -> at.plus(cooldown).isBefore(now));
  }

  boolean isRecent(String key) {
    return sentAt.containsKey(key);
  }
}
