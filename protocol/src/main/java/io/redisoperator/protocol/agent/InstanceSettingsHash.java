package io.redisoperator.protocol.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.redisoperator.protocol.json.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hash the agent reports as {@link InstanceStatus#configHash()} for the settings it has
 * applied. The controller computes the same function over the settings it rendered, so "applied ==
 * desired" is a string comparison.
 */
public final class InstanceSettingsHash {
  private InstanceSettingsHash() {}

  /**
   * SHA-256 (hex, first 16 chars) of the settings in a canonical form (directives sorted by name).
   */
  public static String of(InstanceSettings settings) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put(
        "redisDirectives",
        settings.redisDirectives() == null ? Map.of() : new TreeMap<>(settings.redisDirectives()));
    canonical.put("minReplicasToWrite", settings.minReplicasToWrite());
    canonical.put("minReplicasMaxLagSeconds", settings.minReplicasMaxLagSeconds());
    // Only when set, so the hash of settings without it is what it was before the field existed.
    if (settings.plaintextPortWithTls() != null) {
      canonical.put("plaintextPort", settings.plaintextPortWithTls());
    }
    try {
      byte[] json = Json.mapper().writeValueAsBytes(canonical);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash instance settings", e);
    }
  }
}
