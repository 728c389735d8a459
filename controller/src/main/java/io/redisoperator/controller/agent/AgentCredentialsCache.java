package io.redisoperator.controller.agent;

import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller's agent credentials for any cluster, for the actors that call agents of clusters
 * they do not own (backups, restores): one {@link ControllerIdentity} per cluster, fed with that
 * cluster's agent CA Secret.
 */
public final class AgentCredentialsCache {
  private final Map<String, ControllerIdentity> identities = new ConcurrentHashMap<>();

  /** Empty while the cluster has no usable agent CA. */
  public Optional<AgentCredentials> get(
      String namespace, String cluster, Secret caSecret, Instant now) {
    return identities
        .computeIfAbsent(namespace + "/" + cluster, k -> new ControllerIdentity())
        .credentials(caSecret, now);
  }
}
