package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FenceWarningsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void eachRecordIsDatedByItsFirstSightingAndForgottenWhenDropped() {
    FenceWarnings warnings = new FenceWarnings();
    RedisClusterStatus status = new RedisClusterStatus();
    status.setFencedInstances(List.of("c-0"));
    warnings.note(status, T0);
    status.setUnreachableInstances(List.of("c-1"));
    warnings.note(status, T0.plusSeconds(3));
    assertEquals(Map.of("c-0", T0, "c-1", T0.plusSeconds(3)), warnings.since());
    status.setFencedInstances(List.of());
    warnings.note(status, T0.plusSeconds(9));
    assertEquals(Map.of("c-1", T0.plusSeconds(3)), warnings.since());
    warnings.note(null, T0.plusSeconds(10));
    assertEquals(Map.of(), warnings.since());
  }
}
