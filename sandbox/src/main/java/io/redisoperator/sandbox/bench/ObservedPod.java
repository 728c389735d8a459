package io.redisoperator.sandbox.bench;

import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * One data pod across its incarnations and what the benchmark's controller knows of it, kept up to date like the pod
 * actor does: one poll in flight, the next one interval after the previous one started, refused told apart from
 * timed out, and an operation's answer used at once.
 */
final class ObservedPod {
  static final Duration POLL_INTERVAL = Duration.ofMillis(1000);
  static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  private final String name;
  private final int ordinal;
  private volatile BenchPod pod;
  private volatile InstanceObservation observation;
  private int incarnations;
  /** Start of the poll whose answer is in {@link #observation}: an older answer never overwrites a newer one. */
  private long appliedSince = Long.MIN_VALUE;

  ObservedPod(String name, int ordinal) {
    this.name = name;
    this.ordinal = ordinal;
    this.observation =
        new InstanceObservation(name, ordinal, PodPhase.MISSING, false, null, null, null, 0, PollFailure.NONE, true);
  }

  String name() {
    return name;
  }

  int ordinal() {
    return ordinal;
  }

  BenchPod pod() {
    return pod;
  }

  InstanceObservation observation() {
    return observation;
  }

  int nextIncarnation() {
    return ++incarnations;
  }

  /** A new incarnation runs at {@code ip}: observe it from scratch and poll it until it is replaced. */
  void started(BenchPod started, AgentHttp agents, BooleanSupplier running) {
    observation = new InstanceObservation(name, ordinal, PodPhase.RUNNING, false, started.ip(), null, null, 0,
        PollFailure.NONE, true);
    pod = started;
    Thread poller = new Thread(() -> poll(started, agents, running), "bench-poll-" + name);
    poller.setDaemon(true);
    poller.start();
  }

  /** The deletion as a watch event reports it: at once, keeping the last answer as history. */
  BenchPod deleted() {
    BenchPod gone = pod;
    pod = null;
    InstanceObservation o = observation;
    observation = new InstanceObservation(name, ordinal, PodPhase.MISSING, false, null, o.lastStatus(), o.lastSeen(),
        o.consecutiveFailures(), o.lastFailure(), true);
    return gone;
  }

  private void poll(BenchPod incarnation, AgentHttp agents, BooleanSupplier running) {
    while (running.getAsBoolean() && pod == incarnation) {
      long started = System.nanoTime();
      AgentHttp.Answer<InstanceStatus> answer = agents.status(incarnation.ip(), POLL_TIMEOUT);
      if (pod != incarnation) {
        return;
      }
      record(started, answer.value(), answer.failure());
      long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
      BenchController.sleep(Math.max(0, POLL_INTERVAL.toMillis() - elapsedMillis));
    }
  }

  /** An out-of-band poll (after an operation whose effect must be seen before the next regular poll). */
  void refresh(AgentHttp agents) {
    BenchPod current = pod;
    if (current != null) {
      long started = System.nanoTime();
      AgentHttp.Answer<InstanceStatus> answer = agents.status(current.ip(), POLL_TIMEOUT);
      record(started, answer.value(), answer.failure());
    }
  }

  /** An operation's answer carries the status after it. */
  void applied(AgentHttp.Answer<OperationResult> answer) {
    if (answer.ok() && answer.value().status() != null) {
      record(System.nanoTime(), answer.value().status(), PollFailure.NONE);
    }
  }

  private synchronized void record(long startedNanos, InstanceStatus status, PollFailure failure) {
    if (startedNanos <= appliedSince || pod == null) {
      return;
    }
    appliedSince = startedNanos;
    InstanceObservation o = observation;
    observation = status != null
        ? new InstanceObservation(name, ordinal, PodPhase.RUNNING, status.redisUp(), o.podIP(), status, Instant.now(),
            0, PollFailure.NONE, true)
        : new InstanceObservation(name, ordinal, o.podPhase(), false, o.podIP(), o.lastStatus(), o.lastSeen(),
            o.consecutiveFailures() + 1, failure, true);
  }
}
