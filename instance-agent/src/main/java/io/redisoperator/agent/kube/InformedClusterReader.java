package io.redisoperator.agent.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.agent.AgentSettings;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Labels;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The agent's view kept by two watches (its RedisCluster, its cluster's pods, data and sentinel)
 * instead of GETs: a reader that follows the record continuously (a sentinel pod) costs the API
 * server two watches, not two requests per pass, and hears of a new primary at once. {@link
 * #read()} answers from the caches and fails until both have synced. Needs get/list/watch on the
 * RedisCluster and list/watch on pods of the namespace (label-selected here).
 */
public final class InformedClusterReader implements ClusterReader {
  private final KubernetesClient client;
  private final String namespace;
  private final String clusterName;
  private final String podName;
  private final SharedIndexInformer<RedisCluster> clusters;
  private final SharedIndexInformer<Pod> pods;
  private volatile Runnable listener = () -> {};

  public InformedClusterReader(
      KubernetesClient client, String namespace, String clusterName, String podName) {
    this.client = client;
    this.namespace = namespace;
    this.clusterName = clusterName;
    this.podName = podName;
    this.clusters =
        client
            .resources(RedisCluster.class)
            .inNamespace(namespace)
            .withName(clusterName)
            .runnableInformer(0);
    this.pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(Labels.CLUSTER, clusterName)
            .runnableInformer(0);
    // fabric8 gives up on an informer whose first list fails (e.g. times out on a busy API server);
    // this agent has no
    // other way to learn the record, so it keeps retrying, with fabric8's backoff, whatever the
    // failure.
    clusters.exceptionHandler(InformedClusterReader::retry);
    pods.exceptionHandler(InformedClusterReader::retry);
    clusters.addEventHandler(notifying());
    pods.addEventHandler(notifying());
  }

  private static boolean retry(boolean started, Throwable failure) {
    return !ExceptionHandler.isDeserializationException(failure);
  }

  /** A reader for this agent's own cluster, not yet started. */
  public static InformedClusterReader forAgent(AgentSettings settings) {
    return new InformedClusterReader(
        KubeClusterReader.clientFrom(settings.timing().kubeTimeout(), settings.kubernetesMaster()),
        settings.pod().namespace(),
        settings.pod().clusterName(),
        settings.pod().name());
  }

  /**
   * Starts watching; {@code listener} is called (on a watch thread) after any change of the
   * RedisCluster or a pod of the cluster, the initial list included. Not awaited: an informer whose
   * first list fails keeps retrying, and read() fails until both have synced.
   */
  public void start(Runnable listener) {
    this.listener = listener;
    clusters.start();
    pods.start();
  }

  @Override
  public CompletionStage<ClusterView> read() {
    if (!clusters.hasSynced() || !pods.hasSynced()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the API watches have not synced yet"));
    }
    RedisCluster cluster = clusters.getStore().getByKey(namespace + "/" + clusterName);
    if (cluster == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "RedisCluster " + namespace + "/" + clusterName + " not found"));
    }
    RedisClusterStatus status = cluster.getStatus();
    String primary = status == null ? null : status.getCurrentPrimary();
    List<String> fenced = status == null ? List.of() : status.getFencedInstances();
    List<String> unreachable = status == null ? List.of() : status.getUnreachableInstances();
    String primaryIp = null;
    if (primary != null && !primary.equals(podName)) {
      Pod pod = pods.getStore().getByKey(namespace + "/" + primary);
      primaryIp = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    }
    Set<String> podIps = new HashSet<>();
    for (Pod pod : pods.getStore().list()) {
      if (pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
        podIps.add(pod.getStatus().getPodIP());
      }
    }
    return CompletableFuture.completedFuture(
        new ClusterView(primary, fenced, primaryIp, unreachable, podIps));
  }

  private <T> ResourceEventHandler<T> notifying() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        listener.run();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        listener.run();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        listener.run();
      }
    };
  }

  @Override
  public void close() {
    clusters.close();
    pods.close();
    client.close();
  }
}
