package io.redisoperator.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.redis.InfoParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The Redis series carry the Redis exporter's names and values from the cached INFO; labels follow
 * the role.
 */
class AgentMetricsTest {
  private static final String PRIMARY_INFO =
      String.join(
          "\r\n",
          "# Server",
          "redis_version:7.2.4",
          "redis_mode:standalone",
          "uptime_in_seconds:120",
          "# Clients",
          "connected_clients:7",
          "blocked_clients:1",
          "# Memory",
          "used_memory:1048576",
          "used_memory_rss:2097152",
          "used_memory_peak:1500000",
          "maxmemory:268435456",
          "maxmemory_policy:allkeys-lru",
          "mem_fragmentation_ratio:2.00",
          "# Persistence",
          "loading:0",
          "rdb_changes_since_last_save:3",
          "rdb_bgsave_in_progress:0",
          "rdb_last_save_time:1700000000",
          "rdb_last_bgsave_status:ok",
          "rdb_last_bgsave_time_sec:1",
          "aof_enabled:1",
          "aof_rewrite_in_progress:0",
          "aof_last_bgrewrite_status:err",
          "aof_last_write_status:ok",
          "# Stats",
          "total_connections_received:40",
          "total_commands_processed:1234",
          "total_net_input_bytes:100",
          "total_net_output_bytes:200",
          "rejected_connections:0",
          "expired_keys:5",
          "evicted_keys:6",
          "keyspace_hits:70",
          "keyspace_misses:30",
          "# Replication",
          "role:master",
          "connected_slaves:2",
          "slave0:ip=10.0.0.2,port=6379,state=online,offset=900,lag=0",
          "slave1:ip=10.0.0.3,port=6379,state=wait_bgsave,offset=0,lag=4",
          "master_repl_offset:1000",
          "repl_backlog_size:1048576",
          "# CPU",
          "used_cpu_sys:1.5",
          "used_cpu_user:2.25",
          "# Keyspace",
          "db0:keys=10,expires=2,avg_ttl=0",
          "db3:keys=1,expires=0,avg_ttl=0",
          "");
  private static final String REPLICA_INFO =
      String.join(
          "\r\n",
          "# Replication",
          "role:slave",
          "master_host:10.0.0.1",
          "master_port:6379",
          "master_link_status:down",
          "master_last_io_seconds_ago:-1",
          "master_sync_in_progress:0",
          "slave_repl_offset:880",
          "master_repl_offset:880",
          "");

  private final Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

  private String scrape(String info) {
    StatusBoard board = new StatusBoard("cache-0", clock);
    AgentMetrics metrics = new AgentMetrics(board, "prod", "cache", "cache-0");
    board.recordRedisStarting(true);
    board.recordInfo(InfoParser.parse(info), clock.millis());
    return metrics.scrape();
  }

  /** A line of {@code series} carrying every given {@code label="value"} and the value. */
  private static void has(String scrape, String series, String value, String... labels) {
    assertTrue(
        scrape
            .lines()
            .anyMatch(
                l ->
                    l.startsWith(series + "{")
                        && l.endsWith("} " + value)
                        && java.util.Arrays.stream(labels).allMatch(label -> l.contains(label))),
        series + " " + String.join(",", labels) + " = " + value + " in\n" + scrape);
  }

  private static void hasNo(String scrape, String series) {
    assertFalse(
        scrape.lines().anyMatch(l -> l.startsWith(series + "{")), series + " in\n" + scrape);
  }

  @Test
  void primaryExportsTheExporterSeries() {
    String s = scrape(PRIMARY_INFO);
    has(s, "redis_up", "1.0", "namespace=\"prod\"", "cluster=\"cache\"", "pod=\"cache-0\"");
    has(s, "redis_memory_used_bytes", "1048576.0");
    has(s, "redis_memory_max_bytes", "2.68435456E8");
    has(s, "redis_mem_fragmentation_ratio", "2.0");
    has(s, "redis_connected_clients", "7.0");
    has(s, "redis_commands_processed_total", "1234.0");
    has(s, "redis_keyspace_hits_total", "70.0");
    has(s, "redis_keyspace_misses_total", "30.0");
    has(s, "redis_evicted_keys_total", "6.0");
    has(s, "redis_expired_keys_total", "5.0");
    has(s, "redis_cpu_user_seconds_total", "2.25");
    has(s, "redis_connected_slaves", "2.0");
    has(s, "redis_master_repl_offset", "1000.0");
    has(s, "redis_rdb_last_bgsave_status", "1.0");
    has(s, "redis_aof_last_bgrewrite_status", "0.0");
    has(s, "redis_rdb_last_save_timestamp_seconds", "1.7E9");
    has(
        s,
        "redis_instance_info",
        "1",
        "role=\"master\"",
        "redis_version=\"7.2.4\"",
        "maxmemory_policy=\"allkeys-lru\"");
    has(
        s,
        "redis_connected_slave_lag_seconds",
        "4.0",
        "slave_ip=\"10.0.0.3\"",
        "slave_state=\"wait_bgsave\"");
    has(
        s,
        "redis_connected_slave_offset_bytes",
        "900.0",
        "slave_ip=\"10.0.0.2\"",
        "slave_port=\"6379\"");
    has(s, "redis_db_keys", "10.0", "db=\"db0\"");
    has(s, "redis_db_keys_expiring", "2.0", "db=\"db0\"");
    has(s, "redis_db_keys", "1.0", "db=\"db3\"");
    hasNo(s, "redis_master_link_up");
  }

  @Test
  void replicaExportsItsLinkToThePrimary() {
    String s = scrape(REPLICA_INFO);
    has(s, "redis_master_link_up", "0.0", "master_host=\"10.0.0.1\"", "master_port=\"6379\"");
    has(s, "redis_slave_repl_offset", "880.0", "master_host=\"10.0.0.1\"");
    has(s, "redis_master_last_io_seconds_ago", "-1.0");
    has(s, "redis_instance_info", "1", "role=\"slave\"");
    hasNo(s, "redis_connected_slave_lag_seconds");
  }

  @Test
  void withoutALiveSnapshotRedisIsDownAndLabelledSeriesVanish() {
    StatusBoard board = new StatusBoard("cache-0", clock);
    AgentMetrics metrics = new AgentMetrics(board, "prod", "cache", "cache-0");
    board.recordRedisStarting(true);
    board.recordInfo(InfoParser.parse(PRIMARY_INFO), clock.millis());
    assertTrue(metrics.scrape().contains("redis_db_keys{"));
    board.recordRedisRunning(false);
    String s = metrics.scrape();
    has(s, "redis_up", "0.0");
    has(s, "redis_memory_used_bytes", "NaN");
    hasNo(s, "redis_db_keys");
    hasNo(s, "redis_instance_info");
  }
}
