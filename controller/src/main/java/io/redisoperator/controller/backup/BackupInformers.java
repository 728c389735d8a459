package io.redisoperator.controller.backup;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisScheduledBackup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Informers on RedisBackups and RedisScheduledBackups (all namespaces, or each configured one).
 * Every change goes to one callback, which only enqueues a message; the actors read the caches for
 * the whole picture.
 */
public final class BackupInformers implements AutoCloseable {
  private final KubernetesClient client;
  private final List<String> namespaces;
  private final List<SharedIndexInformer<RedisBackup>> backups = new ArrayList<>();
  private final List<SharedIndexInformer<RedisScheduledBackup>> schedules = new ArrayList<>();

  public BackupInformers(KubernetesClient client, List<String> namespaces) {
    this.client = client;
    this.namespaces = List.copyOf(namespaces);
  }

  /**
   * Starts the informers, calling {@code onBackup}/{@code onSchedule} on every change, and waits
   * for their caches.
   */
  public void start(Runnable onBackup, Runnable onSchedule, long timeoutMillis) throws Exception {
    startInformers(onBackup, onSchedule).get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the informers, calling {@code onBackup}/{@code onSchedule} on every change; completes
   * once their caches are filled.
   */
  public CompletableFuture<Void> startInformers(Runnable onBackup, Runnable onSchedule) {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    List<String> scopes =
        namespaces.isEmpty() ? java.util.Collections.singletonList(null) : namespaces;
    for (String ns : scopes) {
      backups.add(informer(RedisBackup.class, ns, o -> onBackup.run(), started));
      schedules.add(informer(RedisScheduledBackup.class, ns, o -> onSchedule.run(), started));
    }
    return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
  }

  private <T extends HasMetadata> SharedIndexInformer<T> informer(
      Class<T> type, String ns, Consumer<T> changed, List<CompletableFuture<Void>> started) {
    var resources = client.resources(type);
    SharedIndexInformer<T> informer =
        (ns == null ? resources.inAnyNamespace() : resources.inNamespace(ns)).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            changed.accept(obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            changed.accept(newObj);
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            changed.accept(obj);
          }
        });
    started.add(informer.start().toCompletableFuture());
    return informer;
  }

  public List<RedisBackup> backups() {
    List<RedisBackup> all = new ArrayList<>();
    backups.forEach(i -> all.addAll(i.getStore().list()));
    return all;
  }

  public List<RedisScheduledBackup> schedules() {
    List<RedisScheduledBackup> all = new ArrayList<>();
    schedules.forEach(i -> all.addAll(i.getStore().list()));
    return all;
  }

  @Override
  public void close() {
    backups.forEach(SharedIndexInformer::close);
    schedules.forEach(SharedIndexInformer::close);
  }
}
