package io.redisoperator.controller.reconcile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON merge patch that makes a Secret's or ConfigMap's {@code data} exactly the desired map. A
 * merge patch leaves keys it does not name alone, so a key no longer wanted is named with null (RFC
 * 7386 removes it).
 */
final class DataPatch {
  private DataPatch() {}

  static Map<String, Object> replacing(Map<String, String> current, Map<String, String> desired) {
    Map<String, Object> data = new LinkedHashMap<>(desired);
    if (current != null) {
      current.keySet().forEach(key -> data.putIfAbsent(key, null));
    }
    return Map.of("data", data);
  }
}
