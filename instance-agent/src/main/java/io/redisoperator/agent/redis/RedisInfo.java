package io.redisoperator.agent.redis;

import io.redisoperator.protocol.agent.ReplicaInfo;
import io.redisoperator.protocol.crd.InstanceRole;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The parsed answer of {@code INFO}: every {@code key:value} field, plus the replication view built
 * from them.
 */
public record RedisInfo(Map<String, String> fields, List<ReplicaInfo> replicas) {

  public String get(String key) {
    return fields.get(key);
  }

  public OptionalLong getLong(String key) {
    String v = fields.get(key);
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  public InstanceRole role() {
    String role = fields.get("role");
    if ("master".equals(role)) {
      return InstanceRole.PRIMARY;
    }
    if ("slave".equals(role)) {
      return InstanceRole.REPLICA;
    }
    return InstanceRole.UNKNOWN;
  }

  public boolean isPrimary() {
    return role() == InstanceRole.PRIMARY;
  }

  public String masterReplId() {
    return fields.get("master_replid");
  }

  /**
   * This server's replication offset (on a replica: how far it has applied its primary's stream).
   */
  public Long replicationOffset() {
    OptionalLong v = getLong("master_repl_offset");
    return v.isPresent() ? v.getAsLong() : null;
  }

  public String masterHost() {
    return fields.get("master_host");
  }

  public Integer masterPort() {
    OptionalLong v = getLong("master_port");
    return v.isPresent() ? (int) v.getAsLong() : null;
  }

  public Boolean masterLinkUp() {
    String v = fields.get("master_link_status");
    return v == null ? null : "up".equals(v);
  }

  public Long masterLastIoSecondsAgo() {
    OptionalLong v = getLong("master_last_io_seconds_ago");
    return v.isPresent() ? v.getAsLong() : null;
  }

  /** {@code no-failover}, {@code waiting-for-sync} or {@code failover-in-progress}. */
  public String failoverState() {
    return fields.getOrDefault("master_failover_state", "no-failover");
  }

  /** Total keys over all databases (the {@code dbN:keys=..} lines). */
  public long totalKeys() {
    long keys = 0;
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (e.getKey().matches("db\\d+")) {
        keys +=
            InfoParser.subfields(e.getValue()).entrySet().stream()
                .filter(f -> f.getKey().equals("keys"))
                .mapToLong(f -> InfoParser.parseLongOr(f.getValue(), 0))
                .sum();
      }
    }
    return keys;
  }
}
