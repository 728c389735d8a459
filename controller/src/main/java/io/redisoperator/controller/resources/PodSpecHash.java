package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Annotations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hash of a pod spec as the controller builds it. The spec contains only what needs a restart to
 * change (live Redis settings travel through the ConfigMap), so a different hash means the pod must
 * be recreated. A restart request (the cluster's {@link Annotations#RESTARTED_AT}) is part of the
 * hash, so a new one makes every pod out of date; without one the hash is the spec's alone, as
 * before the annotation existed.
 */
public final class PodSpecHash {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private PodSpecHash() {}

  public static String of(PodSpec spec) {
    return of(spec, null);
  }

  /**
   * The hash of a pod of {@code cluster} built with {@code spec}, including the cluster's restart
   * request.
   */
  public static String of(PodSpec spec, RedisCluster cluster) {
    String restartedAt = restartedAt(cluster);
    String json = SERIALIZATION.asJson(spec);
    return digest(
        restartedAt == null ? json : json + "\n" + Annotations.RESTARTED_AT + "=" + restartedAt);
  }

  /**
   * The annotations every pod of {@code cluster} built with {@code spec} carries, data pod or
   * sentinel pod: its spec hash and, when the cluster has one, the restart request it was built for
   * (which the rolling-restart runbook lists per pod).
   */
  public static Map<String, String> podAnnotations(PodSpec spec, RedisCluster cluster) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Annotations.POD_SPEC_HASH, of(spec, cluster));
    String restartedAt = restartedAt(cluster);
    if (restartedAt != null) {
      annotations.put(Annotations.RESTARTED_AT, restartedAt);
    }
    return annotations;
  }

  /** The cluster's restart request, or null. */
  public static String restartedAt(RedisCluster cluster) {
    if (cluster == null
        || cluster.getMetadata() == null
        || cluster.getMetadata().getAnnotations() == null) {
      return null;
    }
    String value = cluster.getMetadata().getAnnotations().get(Annotations.RESTARTED_AT);
    return value == null || value.isBlank() ? null : value;
  }

  private static String digest(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
