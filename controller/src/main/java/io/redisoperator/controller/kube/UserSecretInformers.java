package io.redisoperator.controller.kube;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisUserSpec;
import io.redisoperator.protocol.naming.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The Secrets a RedisCluster names ({@code spec.authSecret}, {@code spec.users[].passwordSecret})
 * belong to the user and carry no label of the operator's: they are read from informers over the
 * watched namespaces, not with a GET per cluster and resync, and a change reaches the clusters at
 * once. Each cached Secret keeps only what the operator reads of it (namespace, name,
 * resourceVersion, the {@code password} key), so the cache does not grow with the contents of the
 * namespaces' other Secrets. The operator's own Secrets (its label) are left out: the owned cache
 * holds them already, and listing them twice cost a restarted controller a second decoding of its
 * largest list (every certificate and key of every cluster).
 */
final class UserSecretInformers implements AutoCloseable {
  private final List<SharedIndexInformer<Secret>> informers = new ArrayList<>();

  /**
   * {@code namespaces}: the watched ones, or one null for all; {@code changed} gets (namespace,
   * name) of every Secret added, changed or deleted.
   */
  UserSecretInformers(
      KubernetesClient client, List<String> namespaces, BiConsumer<String, String> changed) {
    for (String ns : namespaces) {
      var resources = client.secrets();
      SharedIndexInformer<Secret> informer =
          (ns == null ? resources.inAnyNamespace() : resources.inNamespace(ns))
              .withoutLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
              .runnableInformer(0);
      informer.itemStore(new TrimmingStore<>(UserSecretInformers::trimmed));
      informer.addEventHandler(
          new ResourceEventHandler<Secret>() {
            @Override
            public void onAdd(Secret obj) {
              notify(obj);
            }

            @Override
            public void onUpdate(Secret oldObj, Secret newObj) {
              if (!Objects.equals(
                  oldObj.getMetadata().getResourceVersion(),
                  newObj.getMetadata().getResourceVersion())) {
                notify(newObj);
              }
            }

            @Override
            public void onDelete(Secret obj, boolean deletedFinalStateUnknown) {
              notify(obj);
            }

            private void notify(Secret s) {
              changed.accept(s.getMetadata().getNamespace(), s.getMetadata().getName());
            }
          });
      informers.add(informer);
    }
  }

  List<CompletableFuture<Void>> start() {
    return informers.stream().map(i -> i.start().toCompletableFuture()).toList();
  }

  boolean synced() {
    return informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** The cached Secret, trimmed (see {@link #trimmed}). */
  Optional<Secret> get(String namespace, String name) {
    String key = Cache.namespaceKeyFunc(namespace, name);
    for (SharedIndexInformer<Secret> informer : informers) {
      Secret found = informer.getStore().getByKey(key);
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  /** The names of the Secrets a spec reads: its auth Secret and its users' password Secrets. */
  static Set<String> referencedBy(RedisClusterSpec spec) {
    Set<String> names = new TreeSet<>();
    if (spec == null) {
      return names;
    }
    if (spec.getAuthSecret() != null && spec.getAuthSecret().getName() != null) {
      names.add(spec.getAuthSecret().getName());
    }
    if (spec.getUsers() != null) {
      for (RedisUserSpec user : spec.getUsers()) {
        if (user != null
            && user.getPasswordSecret() != null
            && user.getPasswordSecret().getName() != null) {
          names.add(user.getPasswordSecret().getName());
        }
      }
    }
    return names;
  }

  /** What of a Secret is kept: its identity, its version and its {@code password} key. */
  static Secret trimmed(Secret secret) {
    Map<String, String> data = secret.getData();
    String password = data == null ? null : data.get(InstanceLayout.SECRET_KEY_PASSWORD);
    return new SecretBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withNamespace(secret.getMetadata().getNamespace())
                .withName(secret.getMetadata().getName())
                .withUid(secret.getMetadata().getUid())
                .withResourceVersion(secret.getMetadata().getResourceVersion())
                .build())
        .withData(
            password == null ? Map.of() : Map.of(InstanceLayout.SECRET_KEY_PASSWORD, password))
        .build();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
