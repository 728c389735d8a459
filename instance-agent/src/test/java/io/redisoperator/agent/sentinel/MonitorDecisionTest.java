package io.redisoperator.agent.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisoperator.agent.config.Endpoint;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MonitorDecisionTest {
  private static final Optional<Endpoint> A = Optional.of(new Endpoint("10.0.0.1", 6379));
  private static final Optional<Endpoint> B = Optional.of(new Endpoint("10.0.0.2", 6379));

  @Test
  void keepsSentinelOnTheRecordedPrimary() {
    assertEquals(MonitorDecision.KEEP, MonitorDecision.decide(A, A));
  }

  @Test
  void repointsWhenTheRecordedPrimaryMovedOrNothingIsMonitored() {
    assertEquals(MonitorDecision.REPOINT, MonitorDecision.decide(B, A));
    assertEquals(MonitorDecision.REPOINT, MonitorDecision.decide(A, Optional.empty()));
    assertEquals(
        MonitorDecision.REPOINT,
        MonitorDecision.decide(A, Optional.of(new Endpoint("10.0.0.1", 6380))));
  }

  @Test
  void changesNothingWhileTheRecordedPrimaryIsUnknown() {
    assertEquals(MonitorDecision.WAIT, MonitorDecision.decide(Optional.empty(), A));
    assertEquals(MonitorDecision.WAIT, MonitorDecision.decide(Optional.empty(), Optional.empty()));
  }
}
