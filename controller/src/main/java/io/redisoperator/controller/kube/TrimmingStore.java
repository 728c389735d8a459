package io.redisoperator.controller.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's store that keeps each object as {@code trim} leaves it: the caches hold every
 * watched object for the life of the process, so what the controller never reads is dropped as the
 * watch delivers it instead of being held.
 */
final class TrimmingStore<T extends HasMetadata> implements ItemStore<T> {
  private final BasicItemStore<T> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<T> trim;

  TrimmingStore(UnaryOperator<T> trim) {
    this.trim = trim;
  }

  /**
   * Without {@code metadata.managedFields}: the API server's field ownership record (as large as
   * the fields themselves for a pod), which the controller never reads; its merge patches and
   * status updates leave it to the API server.
   */
  static <T extends HasMetadata> TrimmingStore<T> withoutManagedFields() {
    return new TrimmingStore<>(TrimmingStore::dropManagedFields);
  }

  static <T extends HasMetadata> T dropManagedFields(T obj) {
    if (obj.getMetadata() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    return obj;
  }

  /**
   * A Node as the controller reads it: whether it is cordoned. A node's status (images, conditions,
   * addresses) is most of its size and changes with every kubelet heartbeat.
   */
  static Node cordonOnly(Node node) {
    return new NodeBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(node.getMetadata().getName())
                .withUid(node.getMetadata().getUid())
                .withResourceVersion(node.getMetadata().getResourceVersion())
                .build())
        .withNewSpec()
        .withUnschedulable(node.getSpec() == null ? null : node.getSpec().getUnschedulable())
        .endSpec()
        .build();
  }

  @Override
  public String getKey(T obj) {
    return delegate.getKey(obj);
  }

  @Override
  public T put(String key, T obj) {
    return delegate.put(key, trim.apply(obj));
  }

  @Override
  public T remove(String key) {
    return delegate.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<T> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public T get(String key) {
    return delegate.get(key);
  }
}
