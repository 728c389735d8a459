package io.redisoperator.sandbox;

import io.redisoperator.sandbox.kubelet.KubeletConfig;
import io.redisoperator.sandbox.network.SandboxNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * @param stateRoot where sandboxes keep their state (shared by all sandboxes of the machine, for
 *     the reaper)
 * @param apiPort API server port on 127.0.0.1 (0: ephemeral)
 * @param operatorJar dist/redis-operator.jar
 * @param jvmFlags flags of the pod and controller JVMs
 * @param projectedUpdateDelay delay between a Secret/ConfigMap change and the swap of its projected
 *     files
 * @param shutdownGrace grace period pods get when the sandbox stops
 * @param withController whether a controller process can be started
 * @param controllerArgs extra arguments of {@code redis-operator.jar controller}
 * @param logsDir where pod and controller logs go (kept after close); empty: inside the state dir
 *     (removed)
 * @param network the node, pod and service addresses (default: {@link #defaultNetwork()})
 * @param apiServer which API server the sandbox runs (default: {@link
 *     ApiServerKind#fromSystemProperty()})
 */
public record SandboxConfig(
    Path stateRoot,
    int apiPort,
    Path operatorJar,
    List<String> jvmFlags,
    Duration projectedUpdateDelay,
    Duration shutdownGrace,
    boolean withController,
    List<String> controllerArgs,
    Optional<Path> logsDir,
    SandboxNetwork network,
    ApiServerKind apiServer) {

  /**
   * The node's own address: the kubelet's probes and the proxy's upstream connections come from it.
   */
  public static final String NODE_IP = "127.0.100.1";

  public static final String FIRST_POD_IP = "127.0.100.2";
  public static final String LAST_POD_IP = "127.0.199.254";
  public static final String FIRST_SERVICE_IP = "127.0.250.1";
  public static final String LAST_SERVICE_IP = "127.0.255.254";

  public static SandboxNetwork defaultNetwork() {
    return new SandboxNetwork(
        NODE_IP, FIRST_POD_IP, LAST_POD_IP, FIRST_SERVICE_IP, LAST_SERVICE_IP);
  }

  public static Path defaultStateRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"), "redis-operator-sandbox");
  }

  /**
   * Defaults: ephemeral API port, dist/redis-operator.jar found from the working directory upwards.
   */
  public static SandboxConfig defaults() {
    return new SandboxConfig(
        defaultStateRoot(),
        0,
        findOperatorJar(),
        KubeletConfig.DEFAULT_JVM_FLAGS,
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        true,
        List.of(),
        Optional.empty(),
        defaultNetwork(),
        ApiServerKind.fromSystemProperty());
  }

  public SandboxConfig withLogsDir(Path dir) {
    return new SandboxConfig(
        stateRoot,
        apiPort,
        operatorJar,
        jvmFlags,
        projectedUpdateDelay,
        shutdownGrace,
        withController,
        controllerArgs,
        Optional.of(dir),
        network,
        apiServer);
  }

  public SandboxConfig withApiPort(int port) {
    return new SandboxConfig(
        stateRoot,
        port,
        operatorJar,
        jvmFlags,
        projectedUpdateDelay,
        shutdownGrace,
        withController,
        controllerArgs,
        logsDir,
        network,
        apiServer);
  }

  public SandboxConfig withOperatorJar(Path jar) {
    return new SandboxConfig(
        stateRoot,
        apiPort,
        jar,
        jvmFlags,
        projectedUpdateDelay,
        shutdownGrace,
        withController,
        controllerArgs,
        logsDir,
        network,
        apiServer);
  }

  public SandboxConfig withStateRoot(Path root) {
    return new SandboxConfig(
        root,
        apiPort,
        operatorJar,
        jvmFlags,
        projectedUpdateDelay,
        shutdownGrace,
        withController,
        controllerArgs,
        logsDir,
        network,
        apiServer);
  }

  /**
   * Other loopback ranges, e.g. the benchmarks' 127.0.60.x-127.0.69.x instead of the tests'
   * 127.0.100.x and up.
   */
  public SandboxConfig withNetwork(SandboxNetwork addresses) {
    return new SandboxConfig(
        stateRoot,
        apiPort,
        operatorJar,
        jvmFlags,
        projectedUpdateDelay,
        shutdownGrace,
        withController,
        controllerArgs,
        logsDir,
        addresses,
        apiServer);
  }

  /**
   * No controller process: the operator is installed some other way (from its chart, {@link
   * Sandbox#installOperatorChart}) or not at all.
   */
  public SandboxConfig withoutControllerProcess() {
    return new SandboxConfig(
        stateRoot,
        apiPort,
        operatorJar,
        jvmFlags,
        projectedUpdateDelay,
        shutdownGrace,
        false,
        controllerArgs,
        logsDir,
        network,
        apiServer);
  }

  /**
   * The fabric8 mock instead of Kubernetes: for the sandbox's own tests of mock-only parts (its
   * garbage collector).
   */
  public SandboxConfig withApiServer(ApiServerKind kind) {
    return new SandboxConfig(
        stateRoot,
        apiPort,
        operatorJar,
        jvmFlags,
        projectedUpdateDelay,
        shutdownGrace,
        withController,
        controllerArgs,
        logsDir,
        network,
        kind);
  }

  /**
   * dist/redis-operator.jar in the working directory or one of its parents (tests run from a module
   * directory).
   */
  public static Path findOperatorJar() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("dist").resolve("redis-operator.jar");
      if (candidate.toFile().isFile()) {
        return candidate;
      }
      dir = dir.getParent();
    }
    return Path.of("dist", "redis-operator.jar").toAbsolutePath();
  }
}
