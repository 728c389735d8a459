package io.redisoperator.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.redisoperator.controller.agent.TlsSessionCaches;
import io.redisoperator.controller.config.MetricsAddresses;
import io.redisoperator.controller.config.OperatorSettings;
import io.redisoperator.controller.kube.CompressedListsClientFactory;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code controller} role: the controller-manager. */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = "Run the controller-manager that reconciles RedisCluster resources.")
public final class ControllerMain implements Callable<Integer> {

  @Option(
      names = "--namespaces",
      split = ",",
      paramLabel = "NS",
      description = "Namespaces to watch, comma-separated (default: all namespaces).")
  List<String> namespaces = List.of();

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Port of /metrics, /healthz and /readyz (default: ${DEFAULT-VALUE}; 0 = ephemeral).")
  int metricsPort = 8080;

  @Option(
      names = "--operator-image",
      paramLabel = "IMAGE",
      description =
          "Image the data pods copy the agent from (default: $OPERATOR_IMAGE, else ${DEFAULT-VALUE}).")
  String operatorImage = OperatorSettings.defaultOperatorImage();

  @Option(
      names = "--metrics-host",
      split = ",",
      paramLabel = "HOST",
      description =
          "Addresses to bind the metrics port, comma-separated (default: $POD_IP and 127.0.0.1 in a pod,"
              + " else 0.0.0.0).")
  List<String> metricsHosts = List.of();

  @Option(names = "--leader-elect", description = "Reconcile only while holding the leader Lease.")
  boolean leaderElect;

  @Option(
      names = "--lease-namespace",
      paramLabel = "NS",
      description = "Namespace of the leader Lease (default: POD_NAMESPACE, else 'default').")
  String leaseNamespace;

  @Option(
      names = "--lease-name",
      paramLabel = "NAME",
      description = "Name of the leader Lease (default: ${DEFAULT-VALUE}).")
  String leaseName = OperatorSettings.DEFAULT_LEASE_NAME;

  /** Parses the role's arguments and runs it; returns the exit code (2 on bad arguments). */
  public static int run(String[] args) {
    return new CommandLine(new ControllerMain()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    TlsSessionCaches.bound(); // before any TLS context is built: the API client's, the agents'
    String leaseNs = leaseNamespace;
    if (leaseNs == null) {
      String podNs = System.getenv("POD_NAMESPACE");
      leaseNs = podNs == null || podNs.isBlank() ? "default" : podNs;
    }
    OperatorSettings defaults = OperatorSettings.defaults();
    OperatorSettings settings =
        defaults
            .withNamespaces(
                namespaces.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
            .withMetrics(
                metricsHosts.isEmpty()
                    ? MetricsAddresses.defaults(System.getenv("POD_IP"))
                    : metricsHosts,
                metricsPort)
            .withLeaderElection(leaderElect, leaseNs, leaseName, defaults.identity())
            .withOperatorImage(operatorImage);
    // Auto-configuration honours KUBERNETES_MASTER, kubeconfig and the in-cluster service account.
    try (KubernetesClient client =
            new KubernetesClientBuilder()
                .withHttpClientFactory(new CompressedListsClientFactory())
                .build();
        Operator operator = Operator.start(settings, client)) {
      Thread hook = new Thread(operator::close, "controller-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      int code = operator.exit().join();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is already running: the JVM is exiting anyway.
      }
      return code;
    }
  }
}
