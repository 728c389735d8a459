package io.redisoperator.controller.resources;

import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One cluster's {@link InstancePodBuilder#desiredHash desired pod hashes}, remembered while their
 * inputs stay the same. Building every pod's spec and hashing its JSON on every pass was a fifth of
 * a steady pass's CPU, for a result that changes only with the cluster. The inputs count as the
 * same for the same cluster object version ({@code uid} and {@code resourceVersion}, which the API
 * server changes with any edit), the same spec object (a spec substituted in memory, as {@link
 * io.redisoperator.controller.reconcile.SpecInForce} does, is another input), the same operator
 * Secret and image; anything else computes afresh and replaces what was remembered. A cluster
 * without a resource version (built in memory) is never remembered. Holds one hash per ordinal of
 * the current inputs; not thread-safe: owned by one cluster actor.
 */
public final class DesiredPodHashes {
  private String uid;
  private String resourceVersion;
  private RedisClusterSpec spec;
  private String operatorAuthSecret;
  private String operatorImage;
  private final Map<Integer, String> byOrdinal = new HashMap<>();

  public String of(
      RedisCluster cluster, int ordinal, String operatorAuthSecret, String operatorImage) {
    String version = cluster.getMetadata().getResourceVersion();
    if (version == null) {
      return InstancePodBuilder.desiredHash(cluster, ordinal, operatorAuthSecret, operatorImage);
    }
    if (!version.equals(resourceVersion)
        || !Objects.equals(cluster.getMetadata().getUid(), uid)
        || cluster.getSpec() != spec
        || !Objects.equals(operatorAuthSecret, this.operatorAuthSecret)
        || !Objects.equals(operatorImage, this.operatorImage)) {
      byOrdinal.clear();
      resourceVersion = version;
      uid = cluster.getMetadata().getUid();
      spec = cluster.getSpec();
      this.operatorAuthSecret = operatorAuthSecret;
      this.operatorImage = operatorImage;
    }
    return byOrdinal.computeIfAbsent(
        ordinal,
        o -> InstancePodBuilder.desiredHash(cluster, o, operatorAuthSecret, operatorImage));
  }
}
