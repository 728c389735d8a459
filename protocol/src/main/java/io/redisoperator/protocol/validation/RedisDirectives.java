package io.redisoperator.protocol.validation;

import static io.redisoperator.protocol.validation.DirectiveRule.INT_MAX;
import static io.redisoperator.protocol.validation.DirectiveRule.LONG_MAX;
import static io.redisoperator.protocol.validation.DirectiveRule.integer;
import static io.redisoperator.protocol.validation.DirectiveRule.memory;
import static io.redisoperator.protocol.validation.DirectiveRule.oneOf;
import static io.redisoperator.protocol.validation.DirectiveRule.yesNo;
import static java.util.Map.entry;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which redis.conf directives users may set in {@code spec.redis}, and with which values. An
 * allowlist: memory, eviction, persistence tuning, encodings, slow log and the like. Everything
 * else is the operator's: networking, identity, secrets, process settings, and every directive the
 * failover safety argument relies on (replication and its timing, {@code replica-read-only}, {@code
 * replica-serve-stale-data}, {@code min-replicas-*}, {@code appendonly}). Each value is checked
 * against what redis-server's parser accepts, so a value that passes never stops Redis from
 * starting.
 */
public final class RedisDirectives {
  private RedisDirectives() {}

  public static final int MAX_VALUE_LENGTH = 4096;

  private static final Map<String, DirectiveRule> ALLOWED =
      Map.ofEntries(
          entry("maxmemory", memory(0, LONG_MAX / 2)),
          entry(
              "maxmemory-policy",
              oneOf(
                  "volatile-lru",
                  "volatile-lfu",
                  "volatile-random",
                  "volatile-ttl",
                  "allkeys-lru",
                  "allkeys-lfu",
                  "allkeys-random",
                  "noeviction")),
          entry("maxmemory-samples", integer(1, 64)),
          entry("maxmemory-eviction-tenacity", integer(0, 100)),
          entry("maxclients", integer(1, 1_000_000)),
          entry("timeout", integer(0, INT_MAX)),
          entry("tcp-keepalive", integer(0, INT_MAX)),
          entry("databases", integer(1, 10_000)),
          entry("save", DirectiveRule.savePoints()),
          entry("appendfsync", oneOf("always", "everysec", "no")),
          entry("no-appendfsync-on-rewrite", yesNo()),
          entry("auto-aof-rewrite-percentage", integer(0, INT_MAX)),
          entry("auto-aof-rewrite-min-size", memory(0, LONG_MAX / 2)),
          entry("stop-writes-on-bgsave-error", yesNo()),
          entry("rdbcompression", yesNo()),
          entry("rdbchecksum", yesNo()),
          entry("hz", integer(1, 500)),
          entry("dynamic-hz", yesNo()),
          entry("active-expire-effort", integer(1, 10)),
          entry("activerehashing", yesNo()),
          entry("lazyfree-lazy-eviction", yesNo()),
          entry("lazyfree-lazy-expire", yesNo()),
          entry("lazyfree-lazy-server-del", yesNo()),
          entry("lazyfree-lazy-user-del", yesNo()),
          entry("lazyfree-lazy-user-flush", yesNo()),
          entry("lfu-log-factor", integer(0, INT_MAX)),
          entry("lfu-decay-time", integer(0, INT_MAX)),
          entry("slowlog-log-slower-than", integer(-1, LONG_MAX)),
          entry("slowlog-max-len", integer(0, LONG_MAX)),
          entry("latency-monitor-threshold", integer(0, LONG_MAX)),
          entry("notify-keyspace-events", DirectiveRule.keyspaceEvents()),
          entry("busy-reply-threshold", integer(0, LONG_MAX)),
          entry("lua-time-limit", integer(0, LONG_MAX)),
          entry("hash-max-listpack-entries", integer(0, INT_MAX)),
          entry("hash-max-listpack-value", integer(0, INT_MAX)),
          entry("list-max-listpack-size", integer(-5, INT_MAX)),
          entry("list-compress-depth", integer(0, INT_MAX)),
          entry("set-max-intset-entries", integer(0, INT_MAX)),
          entry("zset-max-listpack-entries", integer(0, INT_MAX)),
          entry("zset-max-listpack-value", integer(0, INT_MAX)),
          entry("hll-sparse-max-bytes", integer(0, INT_MAX)),
          entry("stream-node-max-bytes", memory(0, LONG_MAX / 2)),
          entry("stream-node-max-entries", integer(0, LONG_MAX)),
          entry("client-output-buffer-limit", DirectiveRule.clientOutputBufferLimit()),
          entry("repl-backlog-size", memory(1, LONG_MAX / 2)),
          entry("acllog-max-len", integer(0, LONG_MAX)),
          entry("tracking-table-max-keys", integer(0, LONG_MAX)),
          entry("jemalloc-bg-thread", yesNo()),
          entry("loglevel", oneOf("debug", "verbose", "notice", "warning")));

  /** The directives users may set, sorted. */
  public static Set<String> allowed() {
    return new TreeSet<>(ALLOWED.keySet());
  }

  public static boolean isAllowed(String name) {
    return name != null && ALLOWED.containsKey(name);
  }

  /** Why this directive or its value may not be used, or empty when both are acceptable. */
  public static Optional<String> problem(String name, String value) {
    if (!isAllowed(name)) {
      return Optional.of(
          "directive '"
              + name
              + "' cannot be set: the operator manages it, or it is not on the list of"
              + " directives users may set (see spec.redis in the README)");
    }
    if (value == null || value.isBlank()) {
      return Optional.of("directive '" + name + "' needs a value");
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      return Optional.of(
          "value of '" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return Optional.of(
            "value of '" + name + "' contains a control character (newline, tab, NUL, ...)");
      }
    }
    return ALLOWED
        .get(name)
        .problem(value)
        .map(p -> "value of '" + name + "' " + p + ", got '" + value + "'");
  }
}
