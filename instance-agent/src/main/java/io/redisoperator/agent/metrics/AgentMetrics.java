package io.redisoperator.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.ReplicaInfo;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Per-pod Prometheus metrics: Redis' own numbers from the latest INFO snapshot (read at scrape time, never a Redis
 * call) and the agent's HTTP metrics.
 */
public final class AgentMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final StatusBoard board;

  public AgentMetrics(StatusBoard board, String namespace, String cluster, String pod) {
    this.board = board;
    registry.config().commonTags(Tags.of("namespace", namespace, "cluster", cluster, "pod", pod));
    gauge("redis_up", "1 when Redis answered INFO recently", b -> b.liveInfo() == null ? 0 : 1);
    gauge("redis_role_primary", "1 when this instance is a primary", b -> info(b, i -> i.isPrimary() ? 1 : 0));
    gauge("redis_memory_used_bytes", "used_memory", b -> field(b, "used_memory"));
    gauge("redis_connected_clients", "connected_clients", b -> field(b, "connected_clients"));
    gauge("redis_instantaneous_ops_per_second", "instantaneous_ops_per_sec", b -> field(b, "instantaneous_ops_per_sec"));
    gauge("redis_keyspace_keys", "keys over all databases", b -> info(b, RedisInfo::totalKeys));
    gauge("redis_replication_offset", "master_repl_offset", b -> field(b, "master_repl_offset"));
    gauge("redis_connected_replicas", "connected_slaves", b -> field(b, "connected_slaves"));
    gauge("redis_replication_lag_seconds", "replica: seconds since the primary was heard; primary: worst replica ACK age",
        b -> info(b, AgentMetrics::lagSeconds));
    gauge("redis_master_link_up", "replica: 1 when the link to the primary is up",
        b -> info(b, i -> Boolean.TRUE.equals(i.masterLinkUp()) ? 1 : 0));
    gauge("redis_rdb_last_bgsave_ok", "1 when the last RDB save succeeded",
        b -> info(b, i -> "ok".equals(i.get("rdb_last_bgsave_status")) ? 1 : 0));
    gauge("redis_aof_last_write_ok", "1 when the last AOF write succeeded",
        b -> info(b, i -> "ok".equals(i.get("aof_last_write_status")) ? 1 : 0));
    gauge("redis_rdb_changes_since_last_save", "rdb_changes_since_last_save", b -> field(b, "rdb_changes_since_last_save"));
    gauge("redis_uptime_seconds", "uptime_in_seconds", b -> field(b, "uptime_in_seconds"));
    gauge("redis_fenced", "1 when the instance refuses writes (fenced, self-fenced or held at boot) and Redis applied it",
        b -> b.fenceRecorded() && b.writesRefusedByRedis() ? 1 : 0);
    gauge("redis_fence_recorded", "1 when the agent wants Redis to refuse writes, applied or not yet",
        b -> b.fenceRecorded() ? 1 : 0);
    gauge("redis_self_fenced", "1 when the agent fenced itself for isolation", b -> b.view().selfFenced() ? 1 : 0);
    FunctionCounter.builder("redis_commands_processed", board, b -> field(b, "total_commands_processed"))
        .description("total_commands_processed")
        .register(registry);
    FunctionCounter.builder("redis_restarts", board, StatusBoard::restartCount)
        .description("redis-server restarts by the agent")
        .register(registry);
  }

  public void recordRequest(String method, String path, int status, Duration duration) {
    Timer.builder("agent_http_requests")
        .description("agent HTTP requests")
        .tags("method", method, "path", path, "status", Integer.toString(status))
        .register(registry)
        .record(duration);
  }

  public String scrape() {
    return registry.scrape();
  }

  private void gauge(String name, String description, ToDoubleFunction<StatusBoard> f) {
    Gauge.builder(name, board, f).description(description).register(registry);
  }

  private static double field(StatusBoard b, String key) {
    RedisInfo i = b.liveInfo();
    return i == null ? Double.NaN : i.getLong(key).stream().mapToDouble(v -> v).findFirst().orElse(Double.NaN);
  }

  private static double info(StatusBoard b, ToDoubleFunction<RedisInfo> f) {
    RedisInfo i = b.liveInfo();
    return i == null ? Double.NaN : f.applyAsDouble(i);
  }

  private static double lagSeconds(RedisInfo i) {
    if (i.isPrimary()) {
      return i.replicas().stream().mapToLong(ReplicaInfo::lagSeconds).max().orElse(0);
    }
    Long io = i.masterLastIoSecondsAgo();
    return io == null ? Double.NaN : io;
  }
}
