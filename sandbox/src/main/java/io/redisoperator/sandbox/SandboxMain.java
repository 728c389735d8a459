package io.redisoperator.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.sandbox.operator.ChartInstall;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code make run}: starts the sandbox, installs the operator from its chart (or starts the
 * controller as a process), applies a manifest, waits until every RedisCluster in it is Healthy,
 * prints how to use it, and runs until Ctrl-C (which removes everything it started). Builds
 * nothing.
 */
@Command(
    name = "redis-sandbox",
    mixinStandardHelpOptions = true,
    description =
        "Run redis-operator on a local stand-in for Kubernetes (real processes, no containers).")
public final class SandboxMain implements Callable<Integer> {
  @Option(names = "--operator-jar", description = "The operator jar (default: ${DEFAULT-VALUE}).")
  Path operatorJar = SandboxConfig.findOperatorJar();

  @Option(
      names = {"-f", "--manifest"},
      description = "Manifest to apply (default: ${DEFAULT-VALUE}).")
  Path manifest = Path.of("examples", "rediscluster.yaml");

  @Option(names = "--api-port", description = "API server port on 127.0.0.1 (0: any free port).")
  int apiPort;

  @Option(
      names = "--logs-dir",
      description = "Pod and controller logs (default: ${DEFAULT-VALUE}).")
  Path logsDir = Path.of(".sandbox", "logs");

  @Option(
      names = "--state-root",
      description = "Sandbox state, shared by all sandboxes (default: ${DEFAULT-VALUE}).")
  Path stateRoot = SandboxConfig.defaultStateRoot();

  @Option(
      names = "--kubeconfig",
      description = "Where to write the administrator's kubeconfig (default: ${DEFAULT-VALUE}).")
  Path kubeconfigFile = Path.of(".sandbox", "kubeconfig");

  @Option(names = "--no-controller", description = "Run only the sandbox (no operator).")
  boolean noController;

  @Option(
      names = "--operator-process",
      description =
          "Run the controller as a plain process instead of installing"
              + " the chart (the only way on the mock API server).")
  boolean operatorProcess;

  @Option(
      names = "--ready-timeout",
      description = "Seconds to wait for Healthy (default: ${DEFAULT-VALUE}).")
  long readyTimeoutSeconds = 240;

  private final PrintStream out = System.out;

  public static void main(String[] args) {
    int code = new CommandLine(new SandboxMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    step("starting the sandbox (Kubernetes control plane, kubelet, service proxy)");
    if (!noController && !Files.isRegularFile(operatorJar)) {
      out.println("sandbox: " + operatorJar + " is missing: run `make build` first");
      return 1;
    }
    Files.createDirectories(logsDir);
    SandboxConfig config =
        SandboxConfig.defaults()
            .withStateRoot(stateRoot)
            .withApiPort(apiPort)
            .withOperatorJar(operatorJar)
            .withLogsDir(logsDir.toAbsolutePath());
    boolean fromChart =
        !noController && !operatorProcess && config.apiServer() == ApiServerKind.KUBERNETES;
    if (fromChart || noController) {
      config = config.withoutControllerProcess();
    }
    try (Sandbox sandbox = Sandbox.start(config)) {
      // The kubeconfig exists before the API server is announced: scripts read it on that line.
      Optional<Path> kubeconfig =
          sandbox.controlPlane().map(plane -> plane.admin().write(kubeconfigFile.toAbsolutePath()));
      step("API server at " + sandbox.apiServerUrl());
      KubernetesClient client = sandbox.client();
      if (fromChart) {
        step(
            "installing the operator from charts/redis-operator with helm (logs: " + logsDir + ")");
        sandbox.installOperatorChart(java.util.Map.of(), Duration.ofSeconds(readyTimeoutSeconds));
        step(
            "operator Deployment "
                + ChartInstall.NAMESPACE
                + "/"
                + ChartInstall.DEPLOYMENT
                + " available");
      } else if (!noController) {
        step("starting the controller (logs: " + logsDir.resolve("controller.log") + ")");
        sandbox.startController();
      }
      List<HasMetadata> applied = List.of();
      if (manifest != null && Files.isRegularFile(manifest)) {
        step("applying " + manifest);
        try (InputStream in = Files.newInputStream(manifest)) {
          applied = client.load(in).items();
        }
        for (HasMetadata object : applied) {
          if (object.getMetadata().getNamespace() == null) {
            object.getMetadata().setNamespace("default");
          }
          client.resource(object).createOr(existing -> existing.update());
        }
      }
      for (HasMetadata object : applied) {
        if (!RedisCluster.KIND.equals(object.getKind()) || noController) {
          continue;
        }
        String ns = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        step("waiting for RedisCluster " + ns + "/" + name + " to be Healthy");
        RedisCluster cluster =
            ClusterWait.awaitHealthy(client, ns, name, Duration.ofSeconds(readyTimeoutSeconds));
        step(
            String.format(
                "RedisCluster %s/%s Healthy after %.1f s (primary %s)",
                ns, name, (System.nanoTime() - t0) / 1e9, cluster.getStatus().getCurrentPrimary()));
        printUsage(sandbox, cluster);
      }
      if (applied.isEmpty() || noController) {
        out.println("  kubectl:   " + kubectl(sandbox, null) + " get pods,services");
      }
      out.println("Press Ctrl-C to stop; everything the sandbox started is removed.");
      kubeconfig.ifPresent(
          file -> {
            out.println(
                "Use plain kubectl (kubectl "
                    + sandbox.controlPlane().get().kubectl()
                    + " is the same release as the API server):");
            out.println("export KUBECONFIG=" + file);
          });
      CountDownLatch forever = new CountDownLatch(1);
      forever.await();
    }
    return 0;
  }

  private void printUsage(Sandbox sandbox, RedisCluster cluster) {
    String ns = cluster.getMetadata().getNamespace();
    String name = cluster.getMetadata().getName();
    String kubectl = kubectl(sandbox, ns);
    InetSocketAddress leader =
        sandbox.serviceAddress(ns, ResourceNames.leaderService(name), AgentApi.REDIS_PORT);
    String secret =
        cluster.getSpec().getAuthSecret() != null
                && cluster.getSpec().getAuthSecret().getName() != null
            ? cluster.getSpec().getAuthSecret().getName()
            : ResourceNames.generatedAuthSecret(name);
    String password =
        kubectl + " get secret " + secret + " -o jsonpath='{.data.password}' | base64 -d";
    out.println("  kubectl:   " + kubectl + " get redisclusters,pods,services");
    out.println(
        "  leader:    "
            + leader.getHostString()
            + ":"
            + leader.getPort()
            + "  (Service "
            + ResourceNames.leaderService(name)
            + "; -replica and -any work the same way)");
    out.println("  password:  Secret " + secret + ", key password:  " + password);
    out.println(
        "  redis-cli: REDISCLI_AUTH=\"$("
            + password
            + ")\" redis-cli -h "
            + leader.getHostString()
            + " -p "
            + leader.getPort()
            + " set hello world");
    sandbox.controller().ifPresent(c -> out.println("  metrics:   " + c.metricsUrl()));
    if (sandbox.controller().isEmpty() && sandbox.controlPlane().isPresent()) {
      InetSocketAddress metrics =
          sandbox.serviceAddress(
              ChartInstall.NAMESPACE, ChartInstall.METRICS_SERVICE, ChartInstall.METRICS_PORT);
      out.println(
          "  metrics:   http://"
              + metrics.getHostString()
              + ":"
              + metrics.getPort()
              + "/metrics  (Service "
              + ChartInstall.NAMESPACE
              + "/"
              + ChartInstall.METRICS_SERVICE
              + ")");
    }
    out.println("  logs:      " + logsDir.toAbsolutePath());
  }

  /**
   * kubectl with what it needs: nothing but the namespace with the exported KUBECONFIG, the server
   * on the mock.
   */
  private static String kubectl(Sandbox sandbox, String namespace) {
    String base =
        sandbox.controlPlane().isPresent()
            ? "kubectl"
            : "kubectl --server " + sandbox.apiServerUrl();
    return namespace == null ? base : base + " -n " + namespace;
  }

  private void step(String message) {
    out.println("sandbox: " + message);
  }
}
