package io.redisoperator.sandbox.operator;

import io.redisoperator.sandbox.kubelet.KubeletConfig;
import io.redisoperator.sandbox.process.HttpProbe;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.process.Signal;
import io.redisoperator.sandbox.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's controller-manager as a separate OS process ({@code java -jar redis-operator.jar
 * controller}), pointed at the sandbox API server through KUBERNETES_MASTER, as it would run in its
 * own pod. Scenarios kill and restart it.
 */
public final class ControllerProcess implements AutoCloseable {
  private final KubeletConfig config;
  private final StateDir state;
  private static final String METRICS_PORT_FLAG = "--metrics-port";
  private static final String METRICS_HOST_FLAG = "--metrics-host";
  private final List<String> extraArgs;
  private final Path log;
  private final String name;
  private final Map<String, String> apiEnv;
  private ProcessGroup process;
  private int starts;

  /** A controller on the mock API server: plain HTTP, no credentials. */
  public ControllerProcess(KubeletConfig config, StateDir state, List<String> extraArgs) {
    this(config, state, extraArgs, mockApiEnv(config));
  }

  /** How a controller reaches the mock API server: plain HTTP, no credentials. */
  public static Map<String, String> mockApiEnv(KubeletConfig config) {
    return Map.of(
        "KUBERNETES_MASTER", config.apiServerUrl(),
        "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
  }

  /**
   * @param apiEnv how the controller's client reaches and authenticates to the API server
   */
  public ControllerProcess(
      KubeletConfig config, StateDir state, List<String> extraArgs, Map<String, String> apiEnv) {
    this(config, state, extraArgs, apiEnv, "controller");
  }

  /**
   * @param name names the log ({@code <name>.log}) and the pod name the controller's lease identity
   *     starts with ({@code redis-operator-<name>-<start>}), so several controllers of one sandbox
   *     can be told apart
   */
  public ControllerProcess(
      KubeletConfig config,
      StateDir state,
      List<String> extraArgs,
      Map<String, String> apiEnv,
      String name) {
    this.apiEnv = Map.copyOf(apiEnv);
    this.config = config;
    this.state = state;
    this.extraArgs = withOwnMetricsPort(extraArgs);
    this.name = name;
    this.log = config.logsDir().resolve(name + ".log");
  }

  /**
   * The controller's default metrics port (8080 on every address) would collide between two
   * sandboxes on one machine (a test run beside `make run`); each sandbox's controller gets a free
   * loopback port of its own instead, kept across restarts.
   */
  private static List<String> withOwnMetricsPort(List<String> args) {
    if (args.stream().anyMatch(a -> a.startsWith(METRICS_PORT_FLAG))) {
      return List.copyOf(args); // the caller chose
    }
    List<String> all = new ArrayList<>(args);
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      all.addAll(
          List.of(
              METRICS_HOST_FLAG + "=" + probe.getInetAddress().getHostAddress(),
              METRICS_PORT_FLAG + "=" + probe.getLocalPort()));
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the controller's metrics", e);
    }
    return List.copyOf(all);
  }

  /** Where the controller serves /metrics (also /healthz and /readyz). */
  public String metricsUrl() {
    return "http://"
        + flagValue(METRICS_HOST_FLAG, "127.0.0.1")
        + ":"
        + flagValue(METRICS_PORT_FLAG, "8080")
        + "/metrics";
  }

  /** Whether the controller answers its /readyz (a standby for the lease is ready too). */
  public boolean ready() {
    return HttpProbe.ok(metricsUrl().replace("/metrics", "/readyz"));
  }

  private String flagValue(String flag, String otherwise) {
    for (int i = 0; i < extraArgs.size(); i++) {
      String arg = extraArgs.get(i);
      if (arg.startsWith(flag + "=")) {
        return arg.substring(flag.length() + 1);
      }
      if (arg.equals(flag) && i + 1 < extraArgs.size()) {
        return extraArgs.get(i + 1);
      }
    }
    return otherwise;
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
    env.putAll(apiEnv);
    env.put("POD_NAME", podName(++starts));
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

  /**
   * The pod name of its {@code start}-th process; its lease identity is this plus a random suffix.
   */
  private String podName(int start) {
    return "redis-operator-" + name + "-" + start;
  }

  /**
   * The lease identity prefix of the running process (what the Lease's holderIdentity starts with).
   */
  public synchronized String identityPrefix() {
    return podName(starts) + "-";
  }

  /**
   * SIGSTOP to the whole process: it is frozen (as in a long GC pause or a stopped VM) until {@link
   * #resume()}.
   */
  public synchronized void pause() {
    if (process != null) {
      process.signalGroup(Signal.STOP);
    }
  }

  /** SIGCONT after {@link #pause()}. */
  public synchronized void resume() {
    if (process != null) {
      process.signalGroup(Signal.CONT);
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

  /**
   * The controller JVM's pid while it runs (setsid execs in place: the group id is the JVM's pid).
   */
  public synchronized java.util.OptionalLong pid() {
    return process != null && process.isAlive()
        ? java.util.OptionalLong.of(process.pgid())
        : java.util.OptionalLong.empty();
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
