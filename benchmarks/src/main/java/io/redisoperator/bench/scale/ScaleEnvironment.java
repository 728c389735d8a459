package io.redisoperator.bench.scale;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.redisoperator.sandbox.api.ApiServer;
import io.redisoperator.sandbox.api.Crds;
import io.redisoperator.sandbox.controlplane.ControlPlane;
import io.redisoperator.sandbox.controlplane.ControlPlaneBinary;
import io.redisoperator.sandbox.controlplane.ServiceRange;
import io.redisoperator.sandbox.kubelet.KubeletConfig;
import io.redisoperator.sandbox.network.SandboxNetwork;
import io.redisoperator.sandbox.operator.ControllerProcess;
import io.redisoperator.sandbox.operator.OperatorAccount;
import io.redisoperator.sandbox.state.Reaper;
import io.redisoperator.sandbox.state.StateDir;
import io.redisoperator.sandbox.state.Watchdog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The scale benchmark's processes: the sandbox's real control plane (etcd, kube-apiserver,
 * controller-manager, scheduler), the fleet that simulates every data pod, and the operator's
 * controller running as the chart's ServiceAccount, each its own process. No sandbox kubelet or
 * service proxy: nothing runs a pod.
 */
final class ScaleEnvironment implements AutoCloseable {
  /**
   * Service cluster IPs: a /20 (thousands of Services), away from the tests' and the other
   * benchmarks' ranges.
   */
  static final SandboxNetwork NETWORK =
      new SandboxNetwork(
          "127.0.240.1", "127.0.240.2", "127.0.240.254", "127.0.16.1", "127.0.47.254", 16);

  private static final String FLEET_GC_LOG = "fleet-gc.log";

  private final StateDir state;
  private final Watchdog watchdog;
  private final ControlPlane controlPlane;
  private final KubernetesClient client;
  private final ControllerProcess controller;
  private final FleetProcess fleet;
  private final String java;
  private final Path operatorToken;
  private final Path logs;

  private ScaleEnvironment(
      StateDir state,
      Watchdog watchdog,
      ControlPlane controlPlane,
      KubernetesClient client,
      ControllerProcess controller,
      FleetProcess fleet,
      String java,
      Path operatorToken,
      Path logs) {
    this.state = state;
    this.logs = logs;
    this.watchdog = watchdog;
    this.controlPlane = controlPlane;
    this.client = client;
    this.controller = controller;
    this.fleet = fleet;
    this.java = java;
    this.operatorToken = operatorToken;
  }

  static ScaleEnvironment start(
      Path stateRoot, Path operatorJar, List<String> controllerFlags, List<String> fleetFlags)
      throws IOException, InterruptedException {
    Reaper.reapStale(stateRoot);
    StateDir state = StateDir.create(stateRoot);
    Watchdog watchdog = Watchdog.start(state);
    // Kept after the run: the controller's, the fleet's and the API server's audit log.
    Path logs =
        Files.createDirectories(Path.of("target", "bench-scale-logs", state.id()).toAbsolutePath());
    // Each JVM's collections beside its log: a stop-the-world pause of the controller or the fleet
    // shows in the controller's timeline as late polls, of the fleet as agents answering late.
    controllerFlags = withGcLog(controllerFlags, logs.resolve("controller-gc-%p.log"));
    fleetFlags = withGcLog(fleetFlags, logs.resolve(FLEET_GC_LOG));
    ControlPlaneBinary binary =
        ControlPlaneBinary.locate()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Kubernetes control plane: run make control-plane"));
    ControlPlane controlPlane =
        ControlPlane.start(binary, state, logs, ServiceRange.claim(state, NETWORK));
    KubernetesClient client = controlPlane.newClient();
    Crds.install(client, ApiServer.loadCrds());
    client
        .serviceAccounts()
        .inNamespace("default")
        .withName("default")
        .waitUntilCondition(Objects::nonNull, 120, TimeUnit.SECONDS);
    Path jar = state.dir().resolve("redis-operator.jar");
    Files.copy(operatorJar, jar);
    String java = KubeletConfig.currentJava();
    Path operatorToken = state.dir().resolve("operator-token");
    Map<String, String> apiEnv =
        OperatorAccount.create(client, controlPlane.url(), controlPlane.caFile(), operatorToken);
    KubeletConfig config =
        new KubeletConfig(
            NETWORK.nodeIp(),
            controlPlane.url(),
            jar,
            java,
            controllerFlags,
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            logs);
    // As the chart runs it: leader election on (its Lease renewals are counted apart).
    ControllerProcess controller =
        new ControllerProcess(config, state, List.of("--leader-elect"), apiEnv);
    Path kubeconfig = controlPlane.admin().write(state.dir().resolve("admin.kubeconfig"));
    FleetProcess fleet =
        FleetProcess.start(java, fleetFlags, kubeconfig, state, logs.resolve("fleet.log"));
    return new ScaleEnvironment(
        state, watchdog, controlPlane, client, controller, fleet, java, operatorToken, logs);
  }

  private static List<String> withGcLog(List<String> flags, Path file) {
    List<String> logged = new java.util.ArrayList<>(flags);
    logged.add("-Xlog:gc:file=" + file + ":time,uptime");
    return logged;
  }

  /**
   * A client with the controller's identity (its ServiceAccount's token, read from the file the
   * controller reads) and {@code requestTimeoutMillis}: the API floor's.
   */
  KubernetesClient operatorClient(int requestTimeoutMillis) throws IOException {
    return clientWithToken(controlPlane, operatorToken, requestTimeoutMillis);
  }

  /** A client of {@code plane} authenticated by the token in {@code tokenFile}. */
  static KubernetesClient clientWithToken(
      ControlPlane plane, Path tokenFile, int requestTimeoutMillis) throws IOException {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(Config.empty())
                .withMasterUrl(plane.url())
                .withCaCertFile(plane.caFile().toString())
                .withOauthToken(Files.readString(tokenFile).trim())
                .withRequestTimeout(requestTimeoutMillis)
                .build())
        .build();
  }

  KubernetesClient client() {
    return client;
  }

  ControllerProcess controller() {
    return controller;
  }

  FleetProcess fleet() {
    return fleet;
  }

  ControlPlane controlPlane() {
    return controlPlane;
  }

  StateDir state() {
    return state;
  }

  /** The fleet's collections, with their wall-clock times ({@link FleetPauses}). */
  Path fleetGcLog() {
    return logs.resolve(FLEET_GC_LOG);
  }

  String jcmd() {
    return Path.of(java).resolveSibling("jcmd").toString();
  }

  /**
   * The control plane's own processes (etcd, kube-apiserver), found by their command lines under
   * the state dir.
   */
  List<Long> apiServerPids() {
    List<Long> pids = new ArrayList<>();
    for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
      String cmd = p.info().commandLine().orElse("");
      if (cmd.contains(state.dir().toString())
          && (cmd.contains("kube-apiserver") || cmd.contains("etcd"))) {
        pids.add(p.pid());
      }
    }
    return pids;
  }

  @Override
  public void close() {
    controller.close();
    fleet.close();
    client.close();
    controlPlane.close();
    watchdog.close();
    Reaper.reap(state);
  }
}
