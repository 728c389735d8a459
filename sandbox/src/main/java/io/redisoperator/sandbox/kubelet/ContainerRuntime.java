package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.state.StateDir;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container of a pod: its process group, restarts (restartPolicy Always, with backoff), probes
 * and the containerStatus the kubelet reports for it.
 */
final class ContainerRuntime {
  private static final Logger log = LoggerFactory.getLogger(ContainerRuntime.class);
  private static final Duration STABLE_RUN = Duration.ofSeconds(30);

  /**
   * How the worker builds the process when the container (re)starts: argv and env depend on the
   * current pod.
   */
  interface Launch {
    List<String> argv() throws EnvResolver.MissingReference;

    Map<String, String> env() throws EnvResolver.MissingReference;
  }

  private record Termination(int exitCode, String reason, Instant startedAt, Instant finishedAt) {}

  private final Container container;
  private final String podKey;
  private final StateDir state;
  private final Path workDir;
  private final Path logFile;
  private final Duration backoffCap;
  private final ProbeState readiness;
  private final ProbeState liveness;
  private final ProbeState startup;
  private ProcessGroup process;
  private Instant startedAt;
  private int restartCount;
  private int consecutiveCrashes;
  private long restartAtMillis;
  private Termination lastTermination;
  private Termination finalTermination;
  private String waitingReason = "ContainerCreating";
  private String waitingMessage;

  ContainerRuntime(
      Container container,
      String podKey,
      StateDir state,
      Path workDir,
      Path logFile,
      Duration backoffCap) {
    this.container = container;
    this.podKey = podKey;
    this.state = state;
    this.workDir = workDir;
    this.logFile = logFile;
    this.backoffCap = backoffCap;
    long now = System.currentTimeMillis();
    this.readiness =
        container.getReadinessProbe() == null
            ? null
            : new ProbeState(container.getReadinessProbe(), false, now);
    this.liveness =
        container.getLivenessProbe() == null
            ? null
            : new ProbeState(container.getLivenessProbe(), true, now);
    this.startup =
        container.getStartupProbe() == null
            ? null
            : new ProbeState(container.getStartupProbe(), false, now);
  }

  String name() {
    return container.getName();
  }

  Container container() {
    return container;
  }

  ProcessGroup process() {
    return process;
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  boolean isReady() {
    return isRunning()
        && (startup == null || startup.succeeded())
        && (readiness == null || readiness.succeeded());
  }

  int restartCount() {
    return restartCount;
  }

  /**
   * Starts when not running and the backoff has passed; returns false when the launch is not
   * possible yet.
   */
  boolean ensureStarted(Launch launch, long nowMillis) {
    if (process != null || finalTermination != null || nowMillis < restartAtMillis) {
      return true;
    }
    try {
      List<String> argv = launch.argv();
      Map<String, String> env = launch.env();
      process = ProcessGroup.start(argv, env, workDir, logFile);
      state.recordGroup(process.pgid());
      startedAt = Instant.now();
      waitingReason = null;
      waitingMessage = null;
      if (readiness != null) {
        readiness.reset();
      }
      if (liveness != null) {
        liveness.reset();
      }
      if (startup != null) {
        startup.reset();
      }
      log.info(
          "pod {} container {} started (pid {}): {}",
          podKey,
          name(),
          process.pgid(),
          String.join(" ", argv));
      return true;
    } catch (EnvResolver.MissingReference e) {
      waitingReason = "CreateContainerConfigError";
      waitingMessage = e.getMessage();
      return false;
    } catch (IOException | RuntimeException e) {
      waitingReason = "RunContainerError";
      waitingMessage = e.getMessage();
      restartAtMillis = nowMillis + 1000;
      return false;
    }
  }

  /**
   * Detects an exited process (its group is then killed, like a container's cgroup) and runs due
   * probes. Returns true when the reported status may have changed.
   */
  boolean tick(
      Prober prober,
      String podIp,
      long nowMillis,
      Duration terminationGrace,
      BooleanSupplier abort) {
    if (process == null) {
      return false;
    }
    if (!process.isAlive()) {
      onExit(nowMillis, "Error");
      return true;
    }
    boolean changed = false;
    long startMillis = startedAt.toEpochMilli();
    if (startup != null && !startup.succeeded()) {
      // Until the startup probe succeeds, liveness and readiness are not run (as in Kubernetes).
      if (startup.due(nowMillis, startMillis)) {
        boolean ok = prober.probe(startup.probe(), container, podIp);
        changed |= startup.record(ok);
        if (!ok && startup.failedForGood()) {
          log.info("pod {} container {} failed its startup probe: restarting", podKey, name());
          stop(terminationGrace, abort);
          onExit(System.currentTimeMillis(), "Error");
          return true;
        }
      }
      return changed;
    }
    if (readiness != null && readiness.due(nowMillis, startMillis)) {
      changed |= readiness.record(prober.probe(readiness.probe(), container, podIp));
    }
    if (liveness != null && liveness.due(nowMillis, startMillis)) {
      liveness.record(prober.probe(liveness.probe(), container, podIp));
      if (!liveness.succeeded()) {
        log.info("pod {} container {} failed its liveness probe: restarting", podKey, name());
        stop(terminationGrace, abort);
        onExit(System.currentTimeMillis(), "Error");
        changed = true;
      }
    }
    return changed;
  }

  private void onExit(long nowMillis, String defaultReason) {
    int exitCode = process.process().isAlive() ? 137 : process.process().exitValue();
    process.terminate(Duration.ZERO);
    state.forgetGroup(process.pgid());
    String reason = exitCode == 0 ? "Completed" : defaultReason;
    lastTermination = new Termination(exitCode, reason, startedAt, Instant.now());
    log.info("pod {} container {} exited with code {}", podKey, name(), exitCode);
    boolean ranStably = Duration.between(startedAt, Instant.now()).compareTo(STABLE_RUN) > 0;
    consecutiveCrashes = ranStably ? 1 : consecutiveCrashes + 1;
    restartCount++;
    long delay =
        consecutiveCrashes <= 1
            ? 0
            : Math.min(backoffCap.toMillis(), 1000L << Math.min(10, consecutiveCrashes - 2));
    restartAtMillis = nowMillis + delay;
    waitingReason = delay > 0 ? "CrashLoopBackOff" : "ContainerCreating";
    waitingMessage = delay > 0 ? "back-off " + delay + "ms restarting failed container" : null;
    process = null;
  }

  /** Stops for good (pod deletion): SIGTERM to the main process, grace, SIGKILL to the group. */
  void stop(Duration grace, BooleanSupplier abort) {
    if (process == null) {
      return;
    }
    if (!grace.isZero() && process.isAlive()) {
      process.signalMain(io.redisoperator.sandbox.process.Signal.TERM);
      long deadline = System.nanoTime() + grace.toNanos();
      while (process.isAlive() && System.nanoTime() < deadline && !abort.getAsBoolean()) {
        process.awaitExit(Duration.ofMillis(50));
      }
    }
    process.terminate(Duration.ZERO);
    state.forgetGroup(process.pgid());
  }

  void markFinal() {
    if (process != null) {
      int exitCode = process.process().isAlive() ? 137 : process.process().exitValue();
      finalTermination =
          new Termination(
              exitCode, exitCode == 0 ? "Completed" : "Error", startedAt, Instant.now());
    }
  }

  ContainerStatus status(String image) {
    ContainerStatusBuilder b =
        new ContainerStatusBuilder()
            .withName(name())
            .withImage(image)
            .withImageID("sandbox://" + image)
            .withContainerID(process == null ? null : "sandbox://" + process.pgid())
            .withRestartCount(restartCount)
            .withReady(isReady())
            .withStarted(isRunning());
    b.withState(currentState());
    if (lastTermination != null) {
      b.withLastState(terminated(lastTermination));
    }
    return b.build();
  }

  private ContainerState currentState() {
    if (finalTermination != null) {
      return terminated(finalTermination);
    }
    if (isRunning()) {
      return new ContainerStateBuilder()
          .withNewRunning()
          .withStartedAt(ts(startedAt))
          .endRunning()
          .build();
    }
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(waitingReason)
        .withMessage(waitingMessage)
        .endWaiting()
        .build();
  }

  private static ContainerState terminated(Termination t) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(t.exitCode())
        .withReason(t.reason())
        .withStartedAt(ts(t.startedAt()))
        .withFinishedAt(ts(t.finishedAt()))
        .endTerminated()
        .build();
  }

  static String ts(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
