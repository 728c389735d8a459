package io.redisoperator.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.core.instrument.Tags;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.metrics.AgentMetrics;
import io.redisoperator.agent.redis.InfoParser;
import io.redisoperator.agent.sentinel.SentinelBoard;
import io.redisoperator.agent.sentinel.SentinelRoutes;
import io.redisoperator.controller.backup.BackupMetrics;
import io.redisoperator.controller.metrics.ClusterGauges;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alerts, the dashboard and docs/monitoring.md name only series the code exports, and the docs
 * list every one. The exported set is what the real metric classes print once every kind of series
 * has a value: a primary and a replica agent, a sentinel agent and an operator that saw a cluster,
 * a failover, an error, a backup of each outcome and a schedule.
 */
class MonitoringAssetsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** A series name in PromQL: not followed by a label matcher (which would make it a label). */
  private static final Pattern PROMQL_SERIES =
      Pattern.compile("\\b((?:redis|sentinel)_[a-z0-9_]+)\\b(?!\\s*(?:=|!=|=~|!~))");

  /** A row of a series table in docs/monitoring.md: | `name` | type | ... */
  private static final Pattern DOC_ROW = Pattern.compile("^\\|\\s*`([a-z_:][a-z0-9_:]*)`\\s*\\|");

  /** family name → type, from the # TYPE lines. */
  private static final Map<String, String> families = new TreeMap<>();

  /** every sample name printed. */
  private static final Set<String> samples = new TreeSet<>();

  @BeforeAll
  static void scrapeEverything() {
    Clock clock = Clock.systemUTC();
    for (String info :
        List.of(
            "role:master\r\nredis_version:7.2.4\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=5,lag=0\r\n"
                + "master_repl_offset:5\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n",
            "role:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\nslave_repl_offset:5\r\n")) {
      StatusBoard board = new StatusBoard("cache-0", clock);
      AgentMetrics agent = new AgentMetrics(board, "prod", "cache", "cache-0");
      board.recordRedisStarting(true);
      board.recordInfo(InfoParser.parse(info), clock.millis());
      agent.recordRequest("GET", "/v1/status", 200, Duration.ofMillis(3));
      read(agent.scrape());
    }
    read(
        new SentinelRoutes(
                new StatusBoard("cache-sentinel-0", clock),
                new SentinelBoard(clock),
                1000,
                Tags.of("namespace", "prod", "cluster", "cache", "pod", "cache-sentinel-0"))
            .scrape());

    OperatorMetrics operator = new OperatorMetrics(() -> true);
    RedisClusterStatus status = new RedisClusterStatus();
    status.setPhase(Phase.HEALTHY);
    status.setCurrentPrimary("cache-0");
    InstanceStatusEntry primary = new InstanceStatusEntry();
    primary.setRole(InstanceRole.PRIMARY);
    primary.setLagBytes(0L);
    status.getInstancesStatus().put("cache-0", primary);
    operator.cluster("prod", "cache", ClusterGauges.of(1, status));
    operator.recordReconcile(Duration.ofMillis(5));
    operator.recordPoll(Duration.ofMillis(2));
    operator.apiCall("create", "ok");
    operator.sentinelQuorum("prod", "cache", true, 3);
    operator.certificates(
        "prod", "cache", Map.of("agent", java.time.Instant.parse("2027-03-01T00:00:00Z")));
    BackupMetrics backups = new BackupMetrics(operator.registry());
    backups.lastSuccess("prod", "cache", new BackupMetrics.LastSuccess(1.7e9, 1024, 3));
    backups.running("prod", "cache", false);
    backups.failed("prod", "cache");
    backups.schedule(
        "prod", "cache-nightly", "cache", new BackupMetrics.ScheduleExpectation(86400, 1.7e9));
    read(operator.scrape());
  }

  private static void read(String scrape) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        families.put(parts[2], parts[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        samples.add(line.split("[{ ]")[0]);
      }
    }
  }

  private static boolean exported(String name) {
    return samples.contains(name) || families.containsKey(name);
  }

  private static List<String> notExported(Set<String> names) {
    return names.stream().filter(n -> !exported(n)).toList();
  }

  private static Set<String> promqlSeries(String expr) {
    Set<String> out = new TreeSet<>();
    Matcher m = PROMQL_SERIES.matcher(expr);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void alertsReferenceExportedSeriesAndHaveARunbook() throws IOException {
    JsonNode rules =
        new YAMLMapper()
            .readTree(ROOT.resolve("charts/redis-operator/files/prometheus-rules.yaml").toFile());
    Set<String> referenced = new TreeSet<>();
    int alerts = 0;
    for (JsonNode group : rules.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        referenced.addAll(promqlSeries(rule.get("expr").asText()));
        String alert = rule.path("alert").asText();
        alerts++;
        String url = rule.path("annotations").path("runbook_url").asText();
        assertTrue(url.endsWith("/docs/runbooks/" + alert + ".md"), alert + " runbook_url " + url);
        assertTrue(
            Files.exists(ROOT.resolve("docs/runbooks/" + alert + ".md")),
            "docs/runbooks/" + alert + ".md");
      }
    }
    assertTrue(alerts >= 7, "alerts: " + alerts);
    assertEquals(
        List.of(), notExported(referenced), "alert expressions name series nothing exports");
  }

  @Test
  void dashboardPanelsReferenceExportedSeries() throws IOException {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(ROOT.resolve("charts/redis-operator/files/grafana-dashboard.json").toFile());
    Set<String> referenced = new TreeSet<>();
    List<JsonNode> exprs = new ArrayList<>(dashboard.findValues("expr"));
    exprs.addAll(dashboard.findValues("definition"));
    exprs.forEach(e -> referenced.addAll(promqlSeries(e.asText())));
    assertTrue(referenced.size() > 10, "dashboard series: " + referenced);
    assertEquals(
        List.of(), notExported(referenced), "dashboard panels name series nothing exports");
  }

  @Test
  void docsListEveryExportedSeriesAndNoOther() throws IOException {
    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(ROOT.resolve("docs/monitoring.md"))) {
      Matcher m = DOC_ROW.matcher(line);
      if (m.find()) {
        documented.add(m.group(1));
      }
    }
    assertEquals(
        List.of(), notExported(documented), "docs/monitoring.md lists series nothing exports");
    List<String> undocumented =
        families.keySet().stream().filter(f -> !documented.contains(f)).toList();
    assertEquals(List.of(), undocumented, "exported series missing from docs/monitoring.md");
  }

  @Test
  void eventsTableListsEveryReasonAndNoOther() throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/monitoring.md"));
    String section = docs.substring(docs.indexOf("\n## Events"));
    Set<String> documented = new TreeSet<>();
    for (String line : section.split("\n")) {
      if (line.startsWith("| `")) {
        Matcher names =
            Pattern.compile("`([A-Z][A-Za-z]+)`")
                .matcher(line.substring(0, line.indexOf(" | ", 2)));
        while (names.find()) {
          documented.add(names.group(1));
        }
      }
    }
    Set<String> reasons = new TreeSet<>();
    for (io.redisoperator.protocol.event.EventReason reason :
        io.redisoperator.protocol.event.EventReason.values()) {
      reasons.add(reason.reason());
    }
    assertEquals(
        reasons,
        documented,
        "the Events table of docs/monitoring.md lists exactly the EventReason values");
  }
}
