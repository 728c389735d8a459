package io.redisoperator.controller.backup;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.ControllerIdentity;
import io.redisoperator.controller.kube.OwnedCache;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller's client credentials for the agents of any cluster, for the actors that call
 * agents of clusters they do not own (backups, restores): one {@link ControllerIdentity} per
 * cluster, fed with that cluster's agent CA Secret from the cache.
 */
final class ClusterAgentCredentials {
  private final OwnedCache cache;
  private final Clock clock;
  private final Map<String, ControllerIdentity> identities = new ConcurrentHashMap<>();

  ClusterAgentCredentials(OwnedCache cache, Clock clock) {
    this.cache = cache;
    this.clock = clock;
  }

  /** Empty while the cluster has no usable agent CA in the cache. */
  Optional<AgentCredentials> of(String namespace, String cluster) {
    Secret ca =
        cache.ownedBy(namespace, cluster).getOrDefault(Secret.class, List.of()).stream()
            .filter(s -> s.getMetadata().getName().equals(ResourceNames.agentCaSecret(cluster)))
            .map(Secret.class::cast)
            .findFirst()
            .orElse(null);
    return identities
        .computeIfAbsent(namespace + "/" + cluster, k -> new ControllerIdentity())
        .credentials(ca, Instant.ofEpochMilli(clock.millis()));
  }
}
