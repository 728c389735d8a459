package io.redisoperator.sandbox.kubelet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import org.junit.jupiter.api.Test;

class ProbeStateTest {
  private final Probe probe =
      new ProbeBuilder()
          .withPeriodSeconds(5)
          .withInitialDelaySeconds(7)
          .withFailureThreshold(3)
          .withSuccessThreshold(1)
          .build();

  @Test
  void livenessFailsOnlyAfterTheFailureThreshold() {
    ProbeState liveness = new ProbeState(probe, true, 0);
    liveness.record(false);
    liveness.record(false);
    assertTrue(liveness.succeeded());
    liveness.record(false);
    assertFalse(liveness.succeeded());
    liveness.record(true);
    assertTrue(liveness.succeeded());
  }

  @Test
  void probesOnThePodsTickerAndSkipsTicksInsideTheInitialDelay() {
    ProbeState state = new ProbeState(probe, false, 0);
    long containerStart = 1_000;
    assertFalse(state.due(1_000, containerStart), "tick 0 is the pod start");
    assertFalse(state.due(5_000, containerStart), "tick 1 is inside the initial delay (consumed)");
    assertFalse(state.due(9_000, containerStart), "still tick 1");
    assertTrue(state.due(10_000, containerStart), "tick 2, 9 s after the container started");
    assertFalse(state.due(12_000, containerStart), "inside the period");
    assertTrue(state.due(15_000, containerStart));
  }
}
