package io.redisoperator.agent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.instance.InstanceCommand.Fence;
import io.redisoperator.agent.instance.InstanceCommand.Promote;
import io.redisoperator.agent.instance.InstanceCommand.SettingsChanged;
import io.redisoperator.agent.instance.InstanceCommand.Switchover;
import org.junit.jupiter.api.Test;

class QueuedRequestExpiryTest {
  private static final long NOW = 1_000_000_000L;

  @Test
  void aRequestWithinItsDeadlinesMayStart() {
    assertNull(QueuedRequestExpiry.refusal(new Fence("r", NOW + 1, null), NOW));
    assertNull(QueuedRequestExpiry.refusal(new Promote(null, NOW + 2, NOW + 1, null), NOW));
    assertNull(
        QueuedRequestExpiry.refusal(
            new Switchover(new Endpoint("10.0.0.2", 6379), 1000, NOW + 2, NOW + 1, null), NOW));
  }

  @Test
  void aPromotionPastItsCallersDeadlineIsRefusedAsExpiredBeforeTheAgentsDeadline() {
    // The caller gave up (it may promote another replica): 408 even though the agent would wait.
    Outcome refusal = QueuedRequestExpiry.refusal(new Promote(null, NOW + 5, NOW, null), NOW);
    assertEquals(408, refusal.httpStatus());
  }

  @Test
  void aSwitchoverPastItsStartByTimeIsRefusedAsExpired() {
    Outcome refusal =
        QueuedRequestExpiry.refusal(
            new Switchover(new Endpoint("10.0.0.2", 6379), 1000, NOW + 5, NOW - 1, null), NOW);
    assertEquals(408, refusal.httpStatus());
  }

  @Test
  void anyRequestPastTheAgentsDeadlineTimesOut() {
    assertEquals(504, QueuedRequestExpiry.refusal(new Fence("r", NOW, null), NOW).httpStatus());
  }

  @Test
  void deadlinesAreComparedAcrossTheNanoTimeWrap() {
    // System.nanoTime may be negative and wrap: only the difference counts.
    long now = Long.MIN_VALUE + 10;
    assertNull(QueuedRequestExpiry.refusal(new Fence("r", now + 100, null), now));
    assertEquals(
        504, QueuedRequestExpiry.refusal(new Fence("r", Long.MAX_VALUE, null), now).httpStatus());
  }

  @Test
  void theAgentsOwnCommandsNeverExpire() {
    assertNull(QueuedRequestExpiry.refusal(new SettingsChanged(null), Long.MAX_VALUE));
  }
}
