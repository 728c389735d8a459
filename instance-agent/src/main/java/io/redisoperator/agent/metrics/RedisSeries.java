package io.redisoperator.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.redisoperator.agent.redis.InfoParser;
import io.redisoperator.agent.redis.RedisInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Redis' own numbers from the cached INFO snapshot, under the names (and label names) the widely
 * used Redis exporter for Prometheus gives them, so dashboards and alerts written for that exporter
 * work unchanged. Values are read at scrape time and never call Redis; while the snapshot is stale
 * or Redis is down every series reads NaN and the labelled ones disappear, except {@code redis_up}
 * which reads 0.
 */
final class RedisSeries {
  /**
   * One INFO field exported as a series; {@code series} is the exposed name without the counter
   * suffix.
   */
  record Field(String info, String series, String help) {}

  static final List<Field> GAUGES =
      List.of(
          new Field(
              "uptime_in_seconds", "redis_uptime_in_seconds", "Seconds since redis-server started"),
          new Field(
              "connected_clients",
              "redis_connected_clients",
              "Client connections (replicas excluded)"),
          new Field(
              "blocked_clients", "redis_blocked_clients", "Clients blocked in a blocking call"),
          new Field(
              "used_memory", "redis_memory_used_bytes", "Bytes allocated by Redis (used_memory)"),
          new Field(
              "used_memory_rss",
              "redis_memory_used_rss_bytes",
              "Resident set size of redis-server"),
          new Field("used_memory_peak", "redis_memory_used_peak_bytes", "Peak of used_memory"),
          new Field("maxmemory", "redis_memory_max_bytes", "The maxmemory setting (0: no limit)"),
          new Field(
              "mem_fragmentation_ratio",
              "redis_mem_fragmentation_ratio",
              "used_memory_rss / used_memory"),
          new Field("loading", "redis_loading_dump_file", "1 while Redis loads its data file"),
          new Field(
              "rdb_changes_since_last_save",
              "redis_rdb_changes_since_last_save",
              "Writes since the last RDB save"),
          new Field(
              "rdb_bgsave_in_progress", "redis_rdb_bgsave_in_progress", "1 while an RDB save runs"),
          new Field(
              "rdb_last_save_time",
              "redis_rdb_last_save_timestamp_seconds",
              "Unix time of the last successful RDB save"),
          new Field(
              "rdb_last_bgsave_time_sec",
              "redis_rdb_last_bgsave_duration_sec",
              "Duration of the last RDB save"),
          new Field("aof_enabled", "redis_aof_enabled", "1 when the append-only file is on"),
          new Field(
              "aof_rewrite_in_progress",
              "redis_aof_rewrite_in_progress",
              "1 while an AOF rewrite runs"),
          new Field(
              "connected_slaves", "redis_connected_slaves", "Replicas connected to this instance"),
          new Field(
              "master_repl_offset",
              "redis_master_repl_offset",
              "This instance's replication offset"),
          new Field(
              "repl_backlog_size",
              "redis_replication_backlog_bytes",
              "Size of the replication backlog"));

  /** INFO counters; Micrometer appends {@code _total} to each name. */
  static final List<Field> COUNTERS =
      List.of(
          new Field("total_commands_processed", "redis_commands_processed", "Commands processed"),
          new Field(
              "total_connections_received", "redis_connections_received", "Connections accepted"),
          new Field(
              "rejected_connections",
              "redis_rejected_connections",
              "Connections refused for maxclients"),
          new Field(
              "total_net_input_bytes", "redis_net_input_bytes", "Bytes read from the network"),
          new Field(
              "total_net_output_bytes", "redis_net_output_bytes", "Bytes written to the network"),
          new Field("keyspace_hits", "redis_keyspace_hits", "Successful key lookups"),
          new Field("keyspace_misses", "redis_keyspace_misses", "Failed key lookups"),
          new Field("evicted_keys", "redis_evicted_keys", "Keys evicted for maxmemory"),
          new Field("expired_keys", "redis_expired_keys", "Keys expired"),
          new Field("used_cpu_sys", "redis_cpu_sys_seconds", "System CPU seconds of redis-server"),
          new Field("used_cpu_user", "redis_cpu_user_seconds", "User CPU seconds of redis-server"));

  /** INFO status fields: 1 when the field reads {@code ok}. */
  static final List<Field> STATUSES =
      List.of(
          new Field(
              "rdb_last_bgsave_status",
              "redis_rdb_last_bgsave_status",
              "1 when the last RDB save succeeded"),
          new Field(
              "aof_last_bgrewrite_status",
              "redis_aof_last_bgrewrite_status",
              "1 when the last AOF rewrite succeeded"),
          new Field(
              "aof_last_write_status",
              "redis_aof_last_write_status",
              "1 when the last AOF write succeeded"));

  private final Supplier<RedisInfo> info;
  private final MultiGauge masterLinkUp;
  private final MultiGauge masterLastIo;
  private final MultiGauge masterSyncInProgress;
  private final MultiGauge slaveReplOffset;
  private final MultiGauge replicaOffset;
  private final MultiGauge replicaLag;
  private final MultiGauge dbKeys;
  private final MultiGauge dbKeysExpiring;

  RedisSeries(MeterRegistry registry, Supplier<RedisInfo> info) {
    this.info = info;
    Gauge.builder("redis_up", info, s -> s.get() == null ? 0 : 1)
        .description("1 when Redis answered INFO recently")
        .register(registry);
    for (Field f : GAUGES) {
      Gauge.builder(f.series(), info, s -> number(s.get(), f.info()))
          .description(f.help())
          .register(registry);
    }
    for (Field f : COUNTERS) {
      FunctionCounter.builder(f.series(), info, s -> number(s.get(), f.info()))
          .description(f.help())
          .register(registry);
    }
    for (Field f : STATUSES) {
      Gauge.builder(f.series(), info, s -> status(s.get(), f.info()))
          .description(f.help())
          .register(registry);
    }
    masterLinkUp =
        multi(registry, "redis_master_link_up", "Replica: 1 when the link to its primary is up");
    masterLastIo =
        multi(
            registry,
            "redis_master_last_io_seconds_ago",
            "Replica: seconds since its primary was heard");
    masterSyncInProgress =
        multi(registry, "redis_master_sync_in_progress", "Replica: 1 while a full sync runs");
    slaveReplOffset =
        multi(registry, "redis_slave_repl_offset", "Replica: offset applied from its primary");
    replicaOffset =
        multi(
            registry,
            "redis_connected_slave_offset_bytes",
            "Primary: offset acknowledged by each replica");
    replicaLag =
        multi(
            registry,
            "redis_connected_slave_lag_seconds",
            "Primary: seconds since each replica's last ACK");
    dbKeys = multi(registry, "redis_db_keys", "Keys per database");
    dbKeysExpiring = multi(registry, "redis_db_keys_expiring", "Keys with a TTL per database");
    refresh();
  }

  /**
   * Rebuilds the labelled series from the current snapshot: their label values (role, primary,
   * replicas) change.
   */
  void refresh() {
    RedisInfo i = info.get();
    if (i == null) {
      for (MultiGauge g :
          List.of(
              masterLinkUp,
              masterLastIo,
              masterSyncInProgress,
              slaveReplOffset,
              replicaOffset,
              replicaLag,
              dbKeys,
              dbKeysExpiring)) {
        g.register(List.of(), true);
      }
      return;
    }
    Tags master =
        Tags.of("master_host", text(i, "master_host"), "master_port", text(i, "master_port"));
    boolean replica = "slave".equals(i.get("role"));
    masterLinkUp.register(
        replica ? rows(master, "up".equals(i.get("master_link_status")) ? 1 : 0) : List.of(), true);
    masterLastIo.register(
        replica ? rows(master, number(i, "master_last_io_seconds_ago")) : List.of(), true);
    masterSyncInProgress.register(
        replica ? rows(master, number(i, "master_sync_in_progress")) : List.of(), true);
    slaveReplOffset.register(
        replica ? rows(master, number(i, "slave_repl_offset")) : List.of(), true);
    List<MultiGauge.Row<?>> offsets = new ArrayList<>();
    List<MultiGauge.Row<?>> lags = new ArrayList<>();
    for (Map.Entry<String, String> e : i.fields().entrySet()) {
      if (e.getKey().matches("slave\\d+")) {
        Map<String, String> r = InfoParser.subfields(e.getValue());
        Tags tags =
            Tags.of(
                "slave_ip",
                r.getOrDefault("ip", ""),
                "slave_port",
                r.getOrDefault("port", ""),
                "slave_state",
                r.getOrDefault("state", ""));
        offsets.add(MultiGauge.Row.of(tags, parse(r.get("offset"))));
        lags.add(MultiGauge.Row.of(tags, parse(r.get("lag"))));
      }
    }
    replicaOffset.register(offsets, true);
    replicaLag.register(lags, true);
    List<MultiGauge.Row<?>> keys = new ArrayList<>();
    List<MultiGauge.Row<?>> expiring = new ArrayList<>();
    for (Map.Entry<String, String> e : i.fields().entrySet()) {
      if (e.getKey().matches("db\\d+")) {
        Map<String, String> db = InfoParser.subfields(e.getValue());
        keys.add(MultiGauge.Row.of(Tags.of("db", e.getKey()), parse(db.get("keys"))));
        expiring.add(MultiGauge.Row.of(Tags.of("db", e.getKey()), parse(db.get("expires"))));
      }
    }
    dbKeys.register(keys, true);
    dbKeysExpiring.register(expiring, true);
  }

  /**
   * {@code redis_instance_info}: 1, labelled with the role, version, mode and eviction policy. An
   * info-type series, which Micrometer cannot name (it drops the {@code _info} suffix), so it is
   * collected straight into the Prometheus registry with the pod's labels.
   */
  MetricSnapshot instanceInfo(Labels pod) {
    InfoSnapshot.Builder family =
        InfoSnapshot.builder()
            .name("redis_instance")
            .help("1, labelled with the role, version, mode and eviction policy of redis-server");
    RedisInfo i = info.get();
    if (i != null) {
      family.dataPoint(
          InfoSnapshot.InfoDataPointSnapshot.builder()
              .labels(
                  pod.merge(
                      new String[] {"role", "redis_version", "redis_mode", "maxmemory_policy"},
                      new String[] {
                        text(i, "role"),
                        text(i, "redis_version"),
                        text(i, "redis_mode"),
                        text(i, "maxmemory_policy")
                      }))
              .build());
    }
    return family.build();
  }

  private static MultiGauge multi(MeterRegistry registry, String name, String help) {
    return MultiGauge.builder(name).description(help).register(registry);
  }

  private static List<MultiGauge.Row<?>> rows(Tags tags, double value) {
    return List.of(MultiGauge.Row.of(tags, value));
  }

  private static String text(RedisInfo i, String key) {
    String v = i.get(key);
    return v == null ? "" : v;
  }

  static double number(RedisInfo i, String key) {
    return i == null ? Double.NaN : parse(i.get(key));
  }

  private static double status(RedisInfo i, String key) {
    if (i == null || i.get(key) == null) {
      return Double.NaN;
    }
    return "ok".equals(i.get(key)) ? 1 : 0;
  }

  private static double parse(String value) {
    if (value == null) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
