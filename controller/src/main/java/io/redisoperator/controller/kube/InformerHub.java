package io.redisoperator.controller.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared informers: RedisClusters, and the objects the operator labels as its own (equality
 * selector on {@code app.kubernetes.io/managed-by}), in all namespaces or in each configured one.
 * Owned objects are indexed by {@code namespace/cluster} so a cluster actor reads its objects
 * without scanning. Nodes too (cluster-scoped), for whether one is cordoned: only a change of that
 * is passed on, not the kubelets' status heartbeats. And the Secrets clusters name (see {@link
 * UserSecretInformers}). Every cache holds its objects trimmed ({@link TrimmingStore}): no
 * managedFields, and of a Node only whether it is cordoned.
 */
public final class InformerHub implements OwnedCache, AutoCloseable {
  public static final List<Class<? extends HasMetadata>> OWNED_KINDS =
      List.of(
          Pod.class,
          PersistentVolumeClaim.class,
          Service.class,
          Secret.class,
          ConfigMap.class,
          PodDisruptionBudget.class,
          ServiceAccount.class,
          Role.class,
          RoleBinding.class);
  private static final String BY_CLUSTER = "by-cluster";
  private static final String BY_USER_SECRET = "by-user-secret";
  private static final Logger LOG = LoggerFactory.getLogger(InformerHub.class);

  private final KubernetesClient client;
  private final List<String> namespaces;
  private volatile ResourceListener listener;
  private final List<SharedIndexInformer<RedisCluster>> clusterInformers = new ArrayList<>();
  private SharedIndexInformer<Node> nodeInformer;
  private UserSecretInformers userSecrets;
  private final Map<Class<? extends HasMetadata>, List<SharedIndexInformer<? extends HasMetadata>>>
      owned = new LinkedHashMap<>();

  /** {@code namespaces} empty means all namespaces. */
  public InformerHub(KubernetesClient client, List<String> namespaces, ResourceListener listener) {
    this.client = client;
    this.namespaces = List.copyOf(namespaces);
    this.listener = listener;
  }

  /** Sets where events go; must be called before {@link #start}. */
  public void listener(ResourceListener value) {
    this.listener = value;
  }

  /** Starts every informer and waits until their caches are filled. */
  public void start(long timeoutMillis) throws Exception {
    startInformers().get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts every informer; completes once their caches are filled (the informers keep listing and
   * watching meanwhile, on their own threads).
   */
  public CompletableFuture<Void> startInformers() {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : OWNED_KINDS) {
      List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
      for (String ns : namespacesOrAll()) {
        SharedIndexInformer<? extends HasMetadata> informer = ownedInformer(kind, ns);
        informers.add(informer);
        started.add(informer.start().toCompletableFuture());
      }
      owned.put(kind, informers);
    }
    for (String ns : namespacesOrAll()) {
      var resources = client.resources(RedisCluster.class);
      SharedIndexInformer<RedisCluster> informer =
          (ns == null ? resources.inAnyNamespace() : resources.inNamespace(ns)).runnableInformer(0);
      informer.itemStore(TrimmingStore.withoutManagedFields());
      informer.addIndexers(Map.of(BY_USER_SECRET, InformerHub::userSecretKeys));
      informer.addEventHandler(
          new ResourceEventHandler<RedisCluster>() {
            @Override
            public void onAdd(RedisCluster obj) {
              listener.clusterChanged(obj);
            }

            @Override
            public void onUpdate(RedisCluster oldObj, RedisCluster newObj) {
              listener.clusterChanged(newObj);
            }

            @Override
            public void onDelete(RedisCluster obj, boolean deletedFinalStateUnknown) {
              listener.clusterDeleted(
                  obj.getMetadata().getNamespace(), obj.getMetadata().getName());
            }
          });
      clusterInformers.add(informer);
      started.add(informer.start().toCompletableFuture());
    }
    nodeInformer = nodeInformer();
    started.add(nodeInformer.start().toCompletableFuture());
    userSecrets = new UserSecretInformers(client, namespacesOrAll(), this::userSecretChanged);
    started.addAll(userSecrets.start());
    return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
        .thenRun(
            () ->
                LOG.info(
                    "informers synced ({} kinds, Nodes and user Secrets, namespaces {})",
                    OWNED_KINDS.size() + 1,
                    namespaces.isEmpty() ? "all" : namespaces));
  }

  private List<String> namespacesOrAll() {
    if (namespaces.isEmpty()) {
      List<String> all = new ArrayList<>();
      all.add(null);
      return all;
    }
    return namespaces;
  }

  private <T extends HasMetadata> SharedIndexInformer<T> ownedInformer(Class<T> kind, String ns) {
    var resources = client.resources(kind);
    var scoped = ns == null ? resources.inAnyNamespace() : resources.inNamespace(ns);
    SharedIndexInformer<T> informer =
        scoped.withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).runnableInformer(0);
    informer.itemStore(TrimmingStore.withoutManagedFields());
    Function<T, List<String>> byCluster =
        o -> List.of(key(o.getMetadata().getNamespace(), clusterOf(o)));
    informer.addIndexers(Map.of(BY_CLUSTER, byCluster));
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            notifyOwner(obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            if (!java.util.Objects.equals(
                oldObj.getMetadata().getResourceVersion(),
                newObj.getMetadata().getResourceVersion())) {
              notifyOwner(newObj);
            }
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            notifyOwner(obj);
          }
        });
    return informer;
  }

  private SharedIndexInformer<Node> nodeInformer() {
    SharedIndexInformer<Node> informer = client.nodes().runnableInformer(0);
    informer.itemStore(new TrimmingStore<>(TrimmingStore::cordonOnly));
    informer.addEventHandler(
        new ResourceEventHandler<Node>() {
          @Override
          public void onAdd(Node obj) {
            if (cordoned(obj)) {
              listener.nodesChanged();
            }
          }

          @Override
          public void onUpdate(Node oldObj, Node newObj) {
            if (cordoned(oldObj) != cordoned(newObj)) {
              listener.nodesChanged();
            }
          }

          @Override
          public void onDelete(Node obj, boolean deletedFinalStateUnknown) {
            listener.nodesChanged();
          }
        });
    return informer;
  }

  private static boolean cordoned(Node node) {
    return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  @Override
  public Set<String> cordonedNodes() {
    SharedIndexInformer<Node> informer = nodeInformer;
    return informer == null
        ? Set.of()
        : informer.getStore().list().stream()
            .filter(InformerHub::cordoned)
            .map(n -> n.getMetadata().getName())
            .collect(Collectors.toUnmodifiableSet());
  }

  private void notifyOwner(HasMetadata obj) {
    String cluster = clusterOf(obj);
    if (cluster != null) {
      listener.ownedChanged(obj.getMetadata().getNamespace(), cluster);
    }
    if (obj instanceof Secret) {
      // Another cluster may name it (its generated password, say): the user Secret informers
      // leave the operator's own Secrets to this cache.
      userSecretChanged(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }
  }

  /**
   * A Secret changed: every cluster naming it (in its spec or its last valid one) reads it again,
   * found by an index (scanning every cluster of the namespace for each Secret made a restart's
   * initial list quadratic: 7,000 Secrets by 1,000 clusters).
   */
  private void userSecretChanged(String namespace, String secret) {
    for (SharedIndexInformer<RedisCluster> informer : clusterInformers) {
      for (RedisCluster cluster :
          informer.getIndexer().byIndex(BY_USER_SECRET, key(namespace, secret))) {
        listener.ownedChanged(namespace, cluster.getMetadata().getName());
      }
    }
  }

  /** The user Secrets a cluster reads, by its spec and by the last spec found valid. */
  static List<String> userSecretKeys(RedisCluster cluster) {
    Set<String> names = new TreeSet<>(UserSecretInformers.referencedBy(cluster.getSpec()));
    if (cluster.getStatus() != null) {
      names.addAll(UserSecretInformers.referencedBy(cluster.getStatus().getLastValidSpec()));
    }
    String namespace = cluster.getMetadata().getNamespace();
    return names.stream().map(name -> key(namespace, name)).toList();
  }

  @Override
  public Optional<Secret> userSecret(String namespace, String name) {
    UserSecretInformers secrets = userSecrets;
    if (secrets == null) {
      return Optional.empty();
    }
    Optional<Secret> user = secrets.get(namespace, name);
    if (user.isPresent()) {
      return user;
    }
    // One of the operator's own Secrets, named by a cluster (not listed twice: see
    // UserSecretInformers).
    String key = key(namespace, name);
    for (SharedIndexInformer<? extends HasMetadata> informer :
        owned.getOrDefault(Secret.class, List.of())) {
      if (informer.getStore().getByKey(key) instanceof Secret own) {
        return Optional.of(UserSecretInformers.trimmed(own));
      }
    }
    return Optional.empty();
  }

  private static String clusterOf(HasMetadata obj) {
    Map<String, String> labels = obj.getMetadata().getLabels();
    return labels == null ? null : labels.get(Labels.CLUSTER);
  }

  private static String key(String namespace, String cluster) {
    return namespace + "/" + cluster;
  }

  @Override
  public Optional<RedisCluster> cluster(String namespace, String name) {
    for (SharedIndexInformer<RedisCluster> informer : clusterInformers) {
      RedisCluster found = informer.getStore().getByKey(key(namespace, name));
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  /** Every cached RedisCluster. */
  public List<RedisCluster> clusters() {
    List<RedisCluster> all = new ArrayList<>();
    clusterInformers.forEach(informer -> all.addAll(informer.getStore().list()));
    return all;
  }

  @Override
  public Map<Class<? extends HasMetadata>, List<HasMetadata>> ownedBy(
      String namespace, String cluster) {
    Map<Class<? extends HasMetadata>, List<HasMetadata>> result = new HashMap<>();
    owned.forEach(
        (kind, informers) -> {
          List<HasMetadata> objects = new ArrayList<>();
          for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
            objects.addAll(informer.getIndexer().byIndex(BY_CLUSTER, key(namespace, cluster)));
          }
          result.put(kind, objects);
        });
    return result;
  }

  public boolean synced() {
    return clusterInformers.stream().allMatch(SharedIndexInformer::hasSynced)
        && nodeInformer != null
        && nodeInformer.hasSynced()
        && owned.values().stream().flatMap(List::stream).allMatch(SharedIndexInformer::hasSynced)
        && userSecrets != null
        && userSecrets.synced();
  }

  @Override
  public void close() {
    clusterInformers.forEach(SharedIndexInformer::close);
    if (nodeInformer != null) {
      nodeInformer.close();
    }
    owned.values().forEach(list -> list.forEach(SharedIndexInformer::close));
    if (userSecrets != null) {
      userSecrets.close();
    }
  }
}
