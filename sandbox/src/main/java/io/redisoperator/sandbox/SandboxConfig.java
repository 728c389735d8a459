package io.redisoperator.sandbox;

import io.redisoperator.sandbox.kubelet.KubeletConfig;
import io.redisoperator.sandbox.network.SandboxNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * @param stateRoot where sandboxes keep their state (shared by all sandboxes of the machine, for
 *     the reaper)
 * @param apiPort API server port on 127.0.0.1 (0: ephemeral)
 * @param operatorJar dist/redis-operator.jar
 * @param jvmFlags flags of the pod and controller JVMs
 * @param controllerJvmFlags more flags of the controller's JVM only, after {@code jvmFlags} (a
 *     benchmark's {@code -Dredisoperator.*} switches)
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
    List<String> controllerJvmFlags,
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
        List.of(),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        true,
        List.of(),
        Optional.empty(),
        defaultNetwork(),
        ApiServerKind.fromSystemProperty());
  }

  public SandboxConfig withLogsDir(Path dir) {
    return with(c -> c.logsDir = Optional.of(dir));
  }

  public SandboxConfig withApiPort(int port) {
    return with(c -> c.apiPort = port);
  }

  public SandboxConfig withOperatorJar(Path jar) {
    return with(c -> c.operatorJar = jar);
  }

  /** Flags the controller's JVM gets after the pods' ({@link #jvmFlags}). */
  public SandboxConfig withControllerJvmFlags(List<String> flags) {
    return with(c -> c.controllerJvmFlags = List.copyOf(flags));
  }

  public SandboxConfig withStateRoot(Path root) {
    return with(c -> c.stateRoot = root);
  }

  /**
   * Other loopback ranges, e.g. the benchmarks' 127.0.60.x-127.0.69.x instead of the tests'
   * 127.0.100.x and up.
   */
  public SandboxConfig withNetwork(SandboxNetwork addresses) {
    return with(c -> c.network = addresses);
  }

  /**
   * No controller process: the operator is installed some other way (from its chart, {@link
   * Sandbox#installOperatorChart}) or not at all.
   */
  public SandboxConfig withoutControllerProcess() {
    return with(c -> c.withController = false);
  }

  /**
   * The fabric8 mock instead of Kubernetes: for the sandbox's own tests of mock-only parts (its
   * garbage collector).
   */
  public SandboxConfig withApiServer(ApiServerKind kind) {
    return with(c -> c.apiServer = kind);
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

  /** This record with some components changed: what every {@code with} method is. */
  private SandboxConfig with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a SandboxConfig, to change before building the next one. */
  private static final class Copy {
    Path stateRoot;
    int apiPort;
    Path operatorJar;
    List<String> jvmFlags;
    List<String> controllerJvmFlags;
    Duration projectedUpdateDelay;
    Duration shutdownGrace;
    boolean withController;
    List<String> controllerArgs;
    Optional<Path> logsDir;
    SandboxNetwork network;
    ApiServerKind apiServer;

    Copy(SandboxConfig from) {
      stateRoot = from.stateRoot;
      apiPort = from.apiPort;
      operatorJar = from.operatorJar;
      jvmFlags = from.jvmFlags;
      controllerJvmFlags = from.controllerJvmFlags;
      projectedUpdateDelay = from.projectedUpdateDelay;
      shutdownGrace = from.shutdownGrace;
      withController = from.withController;
      controllerArgs = from.controllerArgs;
      logsDir = from.logsDir;
      network = from.network;
      apiServer = from.apiServer;
    }

    SandboxConfig build() {
      return new SandboxConfig(
          stateRoot,
          apiPort,
          operatorJar,
          jvmFlags,
          controllerJvmFlags,
          projectedUpdateDelay,
          shutdownGrace,
          withController,
          controllerArgs,
          logsDir,
          network,
          apiServer);
    }
  }
}
