package io.redisoperator.e2e.k3s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.redisoperator.e2e.ClusterEnvironment;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.state.StateDir;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Kubernetes for the scenarios: a fresh k3s node in Docker per scenario, the operator image
 * built by the repository's Dockerfile and imported into it, the CRDs and the operator installed as
 * the chart installs them, and the data pods running the stock Redis image ({@code
 * spec.imageName}'s default, which k3s pulls). The test JVM reaches Services and pods through
 * API-server port-forwards behind local addresses.
 */
public final class K3sEnvironment implements ClusterEnvironment {
  private static final Logger log = LoggerFactory.getLogger(K3sEnvironment.class);
  static final DockerImageName K3S_IMAGE = DockerImageName.parse("rancher/k3s:v1.30.6-k3s1");

  /** The namespaces whose pods' logs are kept: the operator's and the scenarios'. */
  private static final List<String> LOGGED_NAMESPACES =
      List.of(OperatorManifests.NAMESPACE, "default");

  private final K3sContainer k3s;
  private final KubernetesClient client;
  private final Path logs;
  private final K3sFaultInjector faults;
  private final Map<String, PortForwardProxy> proxies = new ConcurrentHashMap<>();

  private K3sEnvironment(K3sContainer k3s, KubernetesClient client, Path logs) {
    this.k3s = k3s;
    this.client = client;
    this.logs = logs;
    this.faults = new K3sFaultInjector(client, new K3sNode(k3s));
  }

  public static K3sEnvironment start(String scenario) {
    Path logs = Path.of("target", "e2e-logs", scenario).toAbsolutePath();
    StateDir.deleteRecursively(logs);
    Path image = OperatorImage.archive();
    K3sContainer k3s = new K3sContainer(K3S_IMAGE);
    k3s.start();
    KubernetesClient client = null;
    try {
      new K3sNode(k3s).importImage(image);
      client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
              .build();
      OperatorInstall.install(client, OperatorImage.NAME);
      log.info(
          "k3s {} ready for scenario {}: operator {} running",
          K3S_IMAGE,
          scenario,
          OperatorImage.NAME);
      return new K3sEnvironment(k3s, client, logs);
    } catch (RuntimeException | Error e) {
      if (client != null) {
        try {
          PodLogs.write(client, LOGGED_NAMESPACES, logs);
        } catch (RuntimeException logsFailed) {
          e.addSuppressed(logsFailed);
        }
        client.close();
      }
      k3s.stop();
      throw e;
    }
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  /**
   * A local address whose every new connection goes to a ready endpoint of the Service at that
   * moment.
   */
  @Override
  public InetSocketAddress serviceAddress(String namespace, String service, int port) {
    return proxies
        .computeIfAbsent(
            "service " + namespace + "/" + service + ":" + port,
            key ->
                PortForwardProxy.start(
                    client, key, ForwardTargets.serviceEndpoint(client, namespace, service, port)))
        .address();
  }

  /** A local address whose every new connection goes to the pod that has this IP at that moment. */
  @Override
  public InetSocketAddress podAddress(String podIp, int port) {
    return proxies
        .computeIfAbsent(
            "pod " + podIp + ":" + port,
            key ->
                PortForwardProxy.start(client, key, ForwardTargets.podWithIp(client, podIp, port)))
        .address();
  }

  @Override
  public FaultInjector faults() {
    return faults;
  }

  /** Filled on close: the logs live in the cluster until then. */
  @Override
  public String logsLocation() {
    return logs.toString();
  }

  @Override
  public void close() {
    try {
      PodLogs.write(client, LOGGED_NAMESPACES, logs);
    } catch (RuntimeException e) {
      log.warn("cannot save the cluster's logs to {}: {}", logs, e.toString());
    }
    proxies.values().forEach(PortForwardProxy::close);
    client.close();
    k3s.stop();
  }
}
