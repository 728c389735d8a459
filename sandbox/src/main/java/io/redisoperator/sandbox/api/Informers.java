package io.redisoperator.sandbox.api;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One watch per kind for all sandbox components (kubelet, proxy, garbage collector): after the
 * initial list, the sandbox's steady-state cost on the single-threaded mock is zero requests.
 */
public final class Informers implements AutoCloseable {
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Secret> secrets;
  private final SharedIndexInformer<ConfigMap> configMaps;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;

  public Informers(KubernetesClient client) {
    pods = client.pods().inAnyNamespace().runnableInformer(0);
    services = client.services().inAnyNamespace().runnableInformer(0);
    secrets = client.secrets().inAnyNamespace().runnableInformer(0);
    configMaps = client.configMaps().inAnyNamespace().runnableInformer(0);
    claims = client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0);
  }

  /** A handler for components that treat an add and an update alike (both mean "make it so"). */
  public static <T> ResourceEventHandler<T> handler(Consumer<T> upserted, Consumer<T> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        upserted.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        upserted.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        deleted.accept(obj);
      }
    };
  }

  /** Starts every informer and waits until each has listed once. */
  public void start() {
    List<SharedIndexInformer<?>> all = List.of(secrets, configMaps, claims, services, pods);
    for (SharedIndexInformer<?> informer : all) {
      try {
        informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("informer did not sync: " + e.getMessage(), e);
      }
    }
  }

  public SharedIndexInformer<Pod> pods() {
    return pods;
  }

  public SharedIndexInformer<Service> services() {
    return services;
  }

  public SharedIndexInformer<Secret> secrets() {
    return secrets;
  }

  public SharedIndexInformer<ConfigMap> configMaps() {
    return configMaps;
  }

  public SharedIndexInformer<PersistentVolumeClaim> claims() {
    return claims;
  }

  @Override
  public void close() {
    List.of(pods, services, secrets, configMaps, claims).forEach(SharedIndexInformer::close);
  }
}
