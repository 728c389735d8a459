package io.redisoperator.agent.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** Reads the agent's RedisCluster and the primary's pod with fabric8, each read time-bounded. */
public final class KubeClusterReader implements ClusterReader {
  private final KubernetesClient client;
  private final String namespace;
  private final String clusterName;
  private final String podName;
  private final Duration timeout;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "kube-reader");
            t.setDaemon(true);
            return t;
          });

  public KubeClusterReader(
      KubernetesClient client,
      String namespace,
      String clusterName,
      String podName,
      Duration timeout) {
    this.client = client;
    this.namespace = namespace;
    this.clusterName = clusterName;
    this.podName = podName;
    this.timeout = timeout;
  }

  /** The reader of this agent's RedisCluster, with a client connecting from the pod IP. */
  public static KubeClusterReader forAgent(io.redisoperator.agent.AgentSettings settings) {
    return new KubeClusterReader(
        clientFrom(settings.timing().kubeTimeout(), settings.kubernetesMaster()),
        settings.pod().namespace(),
        settings.pod().clusterName(),
        settings.pod().name(),
        settings.timing().kubeTimeout());
  }

  /**
   * A client from the usual auto-configuration (in-cluster or KUBERNETES_MASTER, or {@code
   * masterUrl}). In a pod its traffic leaves from the pod's own network namespace, so a partition
   * of the pod cuts it too; the sandbox gives each pod its own API endpoint on the pod IP for the
   * same effect.
   */
  public static KubernetesClient clientFrom(Duration timeout, String masterUrl) {
    ConfigBuilder builder = new ConfigBuilder(Config.autoConfigure(null));
    if (masterUrl != null && !masterUrl.isBlank()) {
      builder.withMasterUrl(masterUrl);
    }
    Config config =
        builder
            .withRequestTimeout((int) timeout.toMillis())
            .withConnectionTimeout((int) timeout.toMillis())
            .withRequestRetryBackoffLimit(0)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Override
  public CompletionStage<ClusterView> read() {
    try {
      return CompletableFuture.supplyAsync(this::readBlocking, executor)
          .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the API reader is closed"));
    }
  }

  private ClusterView readBlocking() {
    RedisCluster cluster =
        client.resources(RedisCluster.class).inNamespace(namespace).withName(clusterName).get();
    if (cluster == null) {
      throw new IllegalStateException(
          "RedisCluster " + namespace + "/" + clusterName + " not found");
    }
    RedisClusterStatus status = cluster.getStatus();
    String primary = status == null ? null : status.getCurrentPrimary();
    List<String> fenced = status == null ? List.of() : status.getFencedInstances();
    List<String> unreachable = status == null ? List.of() : status.getUnreachableInstances();
    String primaryIp = null;
    if (primary != null && !primary.equals(podName)) {
      Pod pod = client.pods().inNamespace(namespace).withName(primary).get();
      primaryIp = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    }
    return new ClusterView(primary, fenced, primaryIp, unreachable);
  }

  @Override
  public CompletionStage<java.util.Optional<String>> podIp(String pod) {
    try {
      return CompletableFuture.supplyAsync(
              () ->
                  java.util.Optional.ofNullable(
                          client.pods().inNamespace(namespace).withName(pod).get())
                      .map(Pod::getStatus)
                      .map(s -> s.getPodIP()),
              executor)
          .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the API reader is closed"));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    client.close();
  }
}
