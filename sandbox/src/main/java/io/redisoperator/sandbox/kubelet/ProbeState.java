package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Probe;

/**
 * Consecutive results of one probe, applying its period, initial delay and thresholds. As in the
 * kubelet's prober worker, probes run on a ticker that starts with the pod (not with each container
 * start): the first probe after a (re)start comes at the next tick, and ticks inside the initial
 * delay are skipped.
 */
final class ProbeState {
  private final Probe probe;
  private final boolean initiallySucceeded;
  private final long anchorMillis;
  private long lastTick;
  private int successes;
  private int failures;
  private boolean succeeded;

  /**
   * @param initiallySucceeded liveness starts healthy; readiness and startup start failed
   * @param anchorMillis when the pod's prober started (tick 0)
   */
  ProbeState(Probe probe, boolean initiallySucceeded, long anchorMillis) {
    this.probe = probe;
    this.initiallySucceeded = initiallySucceeded;
    this.anchorMillis = anchorMillis;
    this.succeeded = initiallySucceeded;
  }

  /** Whether a probe runs now; consumes the tick. */
  boolean due(long nowMillis, long containerStartMillis) {
    long period = 1000L * (probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds());
    long tick = (nowMillis - anchorMillis) / period;
    if (tick <= lastTick) {
      return false;
    }
    lastTick = tick;
    long initialDelay =
        1000L * (probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds());
    return nowMillis - containerStartMillis >= initialDelay;
  }

  /** Records a result; returns whether the probe's verdict changed. */
  boolean record(boolean ok) {
    int successThreshold = probe.getSuccessThreshold() == null ? 1 : probe.getSuccessThreshold();
    int failureThreshold = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
    boolean before = succeeded;
    if (ok) {
      successes++;
      failures = 0;
      if (successes >= successThreshold) {
        succeeded = true;
      }
    } else {
      failures++;
      successes = 0;
      if (failures >= failureThreshold) {
        succeeded = false;
      }
    }
    return before != succeeded;
  }

  /** The failure threshold was reached (for a startup probe: the container is restarted). */
  boolean failedForGood() {
    int failureThreshold = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
    return failures >= failureThreshold;
  }

  boolean succeeded() {
    return succeeded;
  }

  Probe probe() {
    return probe;
  }

  /** A container restart: results start over, the ticker keeps its phase. */
  void reset() {
    successes = 0;
    failures = 0;
    succeeded = initiallySucceeded;
  }
}
