package io.redisoperator.controller.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.protocol.crd.RedisCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Read access to the informer caches: what the API server last said, without a request. */
public interface OwnedCache {
  Optional<RedisCluster> cluster(String namespace, String name);

  /**
   * Every cached object labelled as belonging to the cluster, by kind (every watched kind is a
   * key).
   */
  Map<Class<? extends HasMetadata>, List<HasMetadata>> ownedBy(String namespace, String cluster);

  /**
   * The names of the nodes marked unschedulable (cordoned): a drain is about to evict their pods.
   */
  Set<String> cordonedNodes();

  /**
   * A Secret the cluster names but does not own ({@code spec.authSecret}, a user's password
   * Secret), as cached: its metadata and its {@code password} key only.
   */
  Optional<Secret> userSecret(String namespace, String name);
}
