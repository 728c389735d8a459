package io.redisoperator.sandbox.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.sandbox.api.Informers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector the mock lacks: an object whose controller owner (ownerReference with
 * controller=true) no longer exists is deleted, in the background, like Kubernetes' default
 * propagation. It works on informer caches (no polling of the API server) and deletes only after
 * the owner was found missing on two sweeps in a row, so an owner whose watch event is merely late
 * is not mistaken for a deleted one.
 */
public final class GarbageCollector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
  private static final long SWEEP_MILLIS = 1000;

  private final KubernetesClient client;
  private final List<SharedIndexInformer<? extends HasMetadata>> watched = new ArrayList<>();
  private final List<SharedIndexInformer<? extends HasMetadata>> owned = new ArrayList<>();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "garbage-collector");
            t.setDaemon(true);
            return t;
          });
  private Set<String> suspectsLastSweep = Set.of();

  public GarbageCollector(KubernetesClient client, Informers shared) {
    this.client = client;
    watched.addAll(
        List.of(
            shared.pods(),
            shared.services(),
            shared.secrets(),
            shared.configMaps(),
            shared.claims()));
    owned.add(client.serviceAccounts().inAnyNamespace().runnableInformer(0));
    owned.add(client.rbac().roles().inAnyNamespace().runnableInformer(0));
    owned.add(client.rbac().roleBindings().inAnyNamespace().runnableInformer(0));
    owned.add(client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(0));
    owned.add(client.resources(RedisCluster.class).inAnyNamespace().runnableInformer(0));
    watched.addAll(owned);
  }

  public void start() {
    for (SharedIndexInformer<? extends HasMetadata> informer : owned) {
      try {
        informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(
            "garbage collector informer did not sync: " + e.getMessage(), e);
      }
    }
    sweeper.scheduleWithFixedDelay(
        this::sweepSafely, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("garbage collection sweep failed: {}", e.toString());
    }
  }

  /** One pass over the caches; exposed for tests. */
  synchronized void sweep() {
    List<HasMetadata> all = new ArrayList<>();
    watched.forEach(i -> all.addAll(i.getStore().list()));
    Set<String> liveUids = new HashSet<>();
    all.forEach(o -> liveUids.add(o.getMetadata().getUid()));
    Set<String> suspects = new HashSet<>();
    for (HasMetadata object : all) {
      Optional<OwnerReference> owner = controllerOwner(object);
      if (owner.isEmpty() || liveUids.contains(owner.get().getUid())) {
        continue;
      }
      String uid = object.getMetadata().getUid();
      suspects.add(uid);
      if (suspectsLastSweep.contains(uid)) {
        delete(object, owner.get());
      }
    }
    suspectsLastSweep = suspects;
  }

  private void delete(HasMetadata object, OwnerReference owner) {
    try {
      client.resource(object).delete();
      log.info(
          "garbage collected {} {}/{}: owner {} {} is gone",
          object.getKind(),
          object.getMetadata().getNamespace(),
          object.getMetadata().getName(),
          owner.getKind(),
          owner.getName());
    } catch (KubernetesClientException e) {
      log.debug(
          "cannot delete {} {}: {}",
          object.getKind(),
          object.getMetadata().getName(),
          e.getMessage());
    }
  }

  static Optional<OwnerReference> controllerOwner(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return Optional.empty();
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    owned.forEach(SharedIndexInformer::close);
  }
}
