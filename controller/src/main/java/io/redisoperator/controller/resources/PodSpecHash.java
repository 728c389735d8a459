package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hash of a pod spec as the controller builds it. The spec contains only what needs a restart to change (live Redis
 * settings travel through the ConfigMap), so a different hash means the pod must be recreated.
 */
public final class PodSpecHash {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private PodSpecHash() {}

  public static String of(PodSpec spec) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(SERIALIZATION.asJson(spec).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
