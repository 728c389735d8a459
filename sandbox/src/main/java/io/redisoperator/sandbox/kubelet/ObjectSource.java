package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/**
 * Where the kubelet reads Secrets and ConfigMaps from: the informer caches (never a GET per pod).
 */
public interface ObjectSource {
  Optional<Secret> secret(String namespace, String name);

  Optional<ConfigMap> configMap(String namespace, String name);
}
