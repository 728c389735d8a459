package io.redisoperator.sandbox.operator;

import io.redisoperator.sandbox.kubelet.KubeletConfig;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.process.Signal;
import io.redisoperator.sandbox.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's controller-manager as a separate OS process ({@code java -jar redis-operator.jar controller}),
 * pointed at the sandbox API server through KUBERNETES_MASTER, as it would run in its own pod. Scenarios kill and
 * restart it.
 */
public final class ControllerProcess implements AutoCloseable {
  private final KubeletConfig config;
  private final StateDir state;
  private final List<String> extraArgs;
  private final Path log;
  private ProcessGroup process;
  private int starts;

  public ControllerProcess(KubeletConfig config, StateDir state, List<String> extraArgs) {
    this.config = config;
    this.state = state;
    this.extraArgs = List.copyOf(extraArgs);
    this.log = config.logsDir().resolve("controller.log");
  }

  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> argv = new ArrayList<>();
    argv.add(config.javaCommand());
    argv.addAll(config.jvmFlags());
    argv.add("-jar");
    argv.add(config.operatorJar().toString());
    argv.add("controller");
    argv.addAll(extraArgs);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin"));
    env.put("LANG", "C.UTF-8");
    env.put("HOME", state.dir().toString());
    env.put("KUBERNETES_MASTER", config.apiServerUrl());
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("POD_NAME", "redis-operator-controller-" + (++starts));
    env.put("POD_NAMESPACE", "redis-operator-system");
    env.put(StateDir.ENV_INSTANCE, state.dir().toString());
    try {
      java.nio.file.Files.createDirectories(log.getParent());
      process = ProcessGroup.start(argv, env, state.dir(), log);
      state.recordGroup(process.pgid());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the controller", e);
    }
  }

  /** SIGKILL, no grace: the crash a scenario needs. */
  public synchronized void kill() {
    if (process != null) {
      process.signalGroup(Signal.KILL);
      process.terminate(Duration.ZERO);
      state.forgetGroup(process.pgid());
      process = null;
    }
  }

  /** SIGTERM, up to {@code grace}, then SIGKILL. */
  public synchronized void stop(Duration grace) {
    if (process != null) {
      process.terminate(grace);
      state.forgetGroup(process.pgid());
      process = null;
    }
  }

  public synchronized void restart() {
    kill();
    start();
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }
}
