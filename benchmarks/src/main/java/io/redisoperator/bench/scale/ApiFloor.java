package io.redisoperator.bench.scale;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.redisoperator.protocol.naming.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The API server's floor for N clusters: a bare client with the controller's identity (its
 * ServiceAccount, so the API server authorizes, queues and admits its requests as the controller's)
 * creating, then deleting, copies of exactly the objects the operator created for one cluster. The
 * copies carry no operator labels or owner, so neither the controller nor the fleet reacts to them;
 * pods are deleted with grace 0 since no kubelet runs them.
 */
final class ApiFloor {
  static final String NAMESPACE = "scale-floor";

  /**
   * Requests in flight: half the controller's API threads ({@code
   * OperatorSettings.DEFAULT_API_THREADS}, 32); kept at 16 so floors stay comparable across runs.
   */
  static final int CONCURRENCY = 16;

  record Result(double createSeconds, double deleteSeconds, int objects) {}

  private ApiFloor() {}

  /**
   * The objects of one cluster, as the operator created them (from the pilot cluster), stripped to
   * what a client sends.
   */
  static List<HasMetadata> templates(KubernetesClient client, String namespace, String cluster) {
    List<HasMetadata> owned = new ArrayList<>();
    owned.addAll(labelled(client.pods(), namespace, cluster));
    owned.addAll(labelled(client.services(), namespace, cluster));
    owned.addAll(labelled(client.secrets(), namespace, cluster));
    owned.addAll(labelled(client.configMaps(), namespace, cluster));
    owned.addAll(labelled(client.policy().v1().podDisruptionBudget(), namespace, cluster));
    owned.addAll(labelled(client.serviceAccounts(), namespace, cluster));
    owned.addAll(labelled(client.rbac().roles(), namespace, cluster));
    owned.addAll(labelled(client.rbac().roleBindings(), namespace, cluster));
    owned.addAll(labelled(client.persistentVolumeClaims(), namespace, cluster));
    List<HasMetadata> templates = new ArrayList<>();
    for (HasMetadata object : owned) {
      HasMetadata copy = Serialization.clone(object);
      ObjectMeta meta = new ObjectMeta();
      meta.setName(object.getMetadata().getName());
      meta.setAnnotations(object.getMetadata().getAnnotations());
      copy.setMetadata(meta);
      if (copy instanceof Pod pod) {
        pod.setStatus(null);
        pod.getSpec().setNodeName(null);
      }
      if (copy instanceof io.fabric8.kubernetes.api.model.Service service) {
        service.setStatus(null);
        service.getSpec().setClusterIP(null);
        service.getSpec().setClusterIPs(null);
        // The copies' selectors select no pod the fleet serves (they carry no operator labels
        // anyway).
      }
      if (copy instanceof io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget pdb) {
        pdb.setStatus(null);
      }
      templates.add(copy);
    }
    return templates;
  }

  /** The objects of one kind in {@code namespace} that carry {@code cluster}'s label. */
  private static <T extends HasMetadata, L extends KubernetesResourceList<T>> List<T> labelled(
      MixedOperation<T, L, ?> kind, String namespace, String cluster) {
    return kind.inNamespace(namespace).withLabel(Labels.CLUSTER, cluster).list().getItems();
  }

  /** Creates then deletes the copies in {@link #NAMESPACE}, which must exist. */
  static Result measure(
      KubernetesClient client, List<HasMetadata> templates, String cluster, int clusters)
      throws Exception {
    List<HasMetadata> objects = new ArrayList<>();
    for (int i = 0; i < clusters; i++) {
      String name = ScaleWorkload.clusterName(i);
      for (HasMetadata template : templates) {
        HasMetadata copy =
            Serialization.unmarshal(
                Serialization.asJson(template).replace(cluster, name), template.getClass());
        copy.getMetadata().setNamespace(NAMESPACE);
        objects.add(copy);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      long start = System.nanoTime();
      // As the operator: a pod's ServiceAccount, Secrets and ConfigMap exist before the pod is
      // created, and a Role before its RoleBinding (the API server checks that a RoleBinding grants
      // no more than its creator holds by reading the Role; as the administrator it did not).
      runAll(
          pool,
          objects.stream().filter(o -> !(o instanceof Pod) && !(o instanceof RoleBinding)).toList(),
          o -> client.resource(o).create());
      runAll(
          pool,
          objects.stream().filter(o -> o instanceof Pod || o instanceof RoleBinding).toList(),
          o -> client.resource(o).create());
      double created = (System.nanoTime() - start) / 1e9;
      start = System.nanoTime();
      runAll(pool, objects, o -> client.resource(o).withGracePeriod(0).delete());
      double deleted = (System.nanoTime() - start) / 1e9;
      return new Result(created, deleted, objects.size());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void runAll(
      ExecutorService pool,
      List<HasMetadata> objects,
      java.util.function.Consumer<HasMetadata> call)
      throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (HasMetadata o : objects) {
      futures.add(pool.submit(() -> call.accept(o)));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }
}
