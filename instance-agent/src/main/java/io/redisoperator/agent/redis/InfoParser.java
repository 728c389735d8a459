package io.redisoperator.agent.redis;

import io.redisoperator.protocol.agent.ReplicaInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Pure: parses the text of {@code INFO} into {@link RedisInfo}. */
public final class InfoParser {
  private static final Pattern REPLICA_KEY = Pattern.compile("slave\\d+");

  private InfoParser() {}

  public static RedisInfo parse(String info) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String raw : info.split("\r?\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1));
      }
    }
    List<ReplicaInfo> replicas = new ArrayList<>();
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (REPLICA_KEY.matcher(e.getKey()).matches()) {
        Map<String, String> f = subfields(e.getValue());
        replicas.add(
            new ReplicaInfo(
                f.getOrDefault("ip", ""),
                (int) parseLongOr(f.get("port"), 0),
                f.getOrDefault("state", "unknown"),
                parseLongOr(f.get("offset"), 0),
                parseLongOr(f.get("lag"), -1)));
      }
    }
    return new RedisInfo(Map.copyOf(fields), List.copyOf(replicas));
  }

  /** {@code a=1,b=2} → {a:1, b:2}. */
  public static Map<String, String> subfields(String value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return out;
  }

  static long parseLongOr(String v, long fallback) {
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
