package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kubectl drain} does, through the same API calls: cordon the node, then ask the
 * Eviction API for each of its pods, retrying an eviction a PodDisruptionBudget refuses (429) every
 * 5 s, as kubectl does, until every pod is evicted or the timeout passes.
 */
final class NodeDrain {
  static final Duration RETRY = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final String namespace;
  private final String node;

  NodeDrain(KubernetesClient client, String namespace, String node) {
    this.client = client;
    this.namespace = namespace;
    this.node = node;
  }

  void cordon() {
    client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(true);
              return n;
            });
  }

  void uncordon() {
    client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(false);
              return n;
            });
  }

  /**
   * Evicts every pod of the namespace on the node; returns when each was evicted (nanoTime) and
   * refusals seen.
   */
  Result evictAll(Duration timeout) {
    List<String> pods =
        client
            .pods()
            .inNamespace(namespace)
            .withField("spec.nodeName", node)
            .list()
            .getItems()
            .stream()
            .map(p -> p.getMetadata().getName())
            .toList();
    Map<String, Long> evictedAt = new LinkedHashMap<>();
    int refused = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (evictedAt.size() < pods.size() && System.nanoTime() < deadline) {
      for (String pod : pods) {
        if (evictedAt.containsKey(pod)) {
          continue;
        }
        Pod current = client.pods().inNamespace(namespace).withName(pod).get();
        if (current == null || !node.equals(current.getSpec().getNodeName())) {
          evictedAt.put(pod, System.nanoTime()); // gone already, or recreated elsewhere
        } else if (client.pods().inNamespace(namespace).withName(pod).evict()) {
          evictedAt.put(pod, System.nanoTime());
        } else {
          refused++;
        }
      }
      if (evictedAt.size() < pods.size()) {
        ScenarioIT.sleep(RETRY.toMillis());
      }
    }
    return new Result(pods, evictedAt, refused);
  }

  record Result(List<String> pods, Map<String, Long> evictedAt, int refusals) {
    boolean complete() {
      return evictedAt.keySet().containsAll(pods);
    }
  }
}
