package io.redisoperator.controller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redisoperator.protocol.crd.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The controller's Prometheus metrics. Gauges by phase and role are fed from each cluster actor's latest view, keyed by
 * cluster, so a cluster that changes phase or disappears is counted once and only where it is now.
 */
public final class OperatorMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer reconcile;
  private final Timer poll;
  private final Map<String, Phase> phaseByCluster = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> podsByRoleByCluster = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> apiCalls = new ConcurrentHashMap<>();
  /** Per sentinel-mode cluster: [quorum ok (0/1), sentinels following]; absent for standalone clusters. */
  private final Map<String, long[]> sentinelsByCluster = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> sentinelGauges = new ConcurrentHashMap<>();

  public OperatorMetrics() {
    reconcile =
        Timer.builder("redis_operator_reconcile")
            .description("Duration of one reconcile pass of a RedisCluster")
            .publishPercentileHistogram()
            .register(registry);
    poll =
        Timer.builder("redis_operator_agent_poll")
            .description("Duration of one /v1/status poll of an instance agent")
            .publishPercentileHistogram()
            .register(registry);
    for (Phase phase : Phase.values()) {
      Gauge.builder("redis_operator_clusters", () -> countPhase(phase))
          .description("RedisClusters by phase")
          .tag("phase", phase.name().toLowerCase())
          .register(registry);
    }
    for (String role : new String[] {"primary", "replica", "unknown"}) {
      Gauge.builder("redis_operator_pods", () -> countRole(role))
          .description("Data pods by role")
          .tag("role", role)
          .register(registry);
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  public void recordReconcile(Duration duration) {
    reconcile.record(duration);
  }

  public void recordPoll(Duration duration) {
    poll.record(duration);
  }

  public void failover(String kind) {
    Counter.builder("redis_operator_failovers").description("Primary changes by kind").tag("kind", kind)
        .register(registry).increment();
  }

  /** One Kubernetes API call: verb (create, patch, delete, update_status, get, event) and outcome (ok, conflict, ...). */
  public void apiCall(String verb, String outcome) {
    Counter.builder("redis_operator_api_calls").description("Kubernetes API calls by verb and outcome")
        .tag("verb", verb).tag("outcome", outcome).register(registry).increment();
    apiCalls.computeIfAbsent(verb + ":" + outcome, k -> new AtomicLong()).incrementAndGet();
  }

  /** Total API calls of the given verbs (any outcome), for tests and benchmarks. */
  public long apiCallCount(String... verbs) {
    long total = 0;
    for (Map.Entry<String, AtomicLong> e : apiCalls.entrySet()) {
      for (String verb : verbs) {
        if (e.getKey().startsWith(verb + ":")) {
          total += e.getValue().get();
        }
      }
    }
    return total;
  }

  public void clusterPhase(String clusterKey, Phase phase) {
    if (phase == null) {
      phaseByCluster.remove(clusterKey);
    } else {
      phaseByCluster.put(clusterKey, phase);
    }
  }

  public void podRoles(String clusterKey, Map<String, Integer> countsByRole) {
    podsByRoleByCluster.put(clusterKey, Map.copyOf(countsByRole));
  }

  public void clusterGone(String clusterKey) {
    phaseByCluster.remove(clusterKey);
    podsByRoleByCluster.remove(clusterKey);
    sentinelsGone(clusterKey);
  }

  /**
   * A sentinel-mode cluster's quorum ({@code redis_operator_sentinel_quorum_ok}, 1 while a majority of its sentinels
   * report the recorded primary) and how many do ({@code redis_operator_sentinels_following}), tagged by namespace and
   * cluster. {@code following} null: not in sentinel mode, the series go.
   */
  public void sentinelQuorum(String clusterKey, Boolean quorumOk, Integer following) {
    if (quorumOk == null || following == null) {
      sentinelsGone(clusterKey);
      return;
    }
    long[] values = sentinelsByCluster.computeIfAbsent(clusterKey, k -> new long[2]);
    values[0] = quorumOk ? 1 : 0;
    values[1] = following;
    sentinelGauges.computeIfAbsent(clusterKey, k -> {
      String[] parts = k.split("/", 2);
      Tags tags = Tags.of("namespace", parts[0], "cluster", parts.length > 1 ? parts[1] : "");
      return List.of(
          Gauge.builder("redis_operator_sentinel_quorum_ok", values, v -> v[0])
              .description("1 while a majority of the cluster's sentinels report the recorded primary (sentinel mode)")
              .tags(tags).register(registry),
          Gauge.builder("redis_operator_sentinels_following", values, v -> v[1])
              .description("Sentinels of the cluster that answer and report the recorded primary (sentinel mode)")
              .tags(tags).register(registry));
    });
  }

  private void sentinelsGone(String clusterKey) {
    sentinelsByCluster.remove(clusterKey);
    List<Meter> gauges = sentinelGauges.remove(clusterKey);
    if (gauges != null) {
      gauges.forEach(registry::remove);
    }
  }

  private double countPhase(Phase phase) {
    return phaseByCluster.values().stream().filter(p -> p == phase).count();
  }

  private double countRole(String role) {
    return podsByRoleByCluster.values().stream().mapToInt(m -> m.getOrDefault(role, 0)).sum();
  }
}
