package io.redisoperator.controller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.redisoperator.protocol.crd.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The controller's Prometheus metrics ({@code redis_operator_*}). Per-cluster series come from each
 * cluster actor's latest {@link ClusterGauges}, keyed by namespace and name, so a cluster that
 * changes phase, loses a pod or disappears is shown once and only as it is now.
 */
public final class OperatorMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer reconcile;
  private final Timer poll;
  private final Map<ClusterKey, ClusterGauges> clusters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> apiCalls = new ConcurrentHashMap<>();

  /**
   * Per sentinel-mode cluster: [quorum ok (0/1), sentinels following]; absent for standalone
   * clusters.
   */
  private final Map<String, long[]> sentinelsByCluster = new ConcurrentHashMap<>();

  private final Map<String, List<Meter>> sentinelGauges = new ConcurrentHashMap<>();
  private final MultiGauge clusterPhase;
  private final MultiGauge clusterInstances;
  private final MultiGauge clusterReadyInstances;
  private final MultiGauge clusterPrimaryReady;
  private final MultiGauge instanceReady;
  private final MultiGauge instanceFenced;
  private final MultiGauge instanceLag;
  private final Map<ClusterKey, Map<String, java.time.Instant>> certificates =
      new ConcurrentHashMap<>();
  private final MultiGauge certificateExpiry;

  private record ClusterKey(String namespace, String name) {
    Tags tags() {
      return Tags.of("namespace", namespace, "cluster", name);
    }
  }

  public OperatorMetrics() {
    this(() -> true);
  }

  /**
   * @param leading whether this replica currently holds the leader lease (always true without
   *     leader election)
   */
  public OperatorMetrics(BooleanSupplier leading) {
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
    Gauge.builder("redis_operator_leader", leading, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 while this operator replica holds the leader lease and reconciles")
        .register(registry);
    for (Phase phase : Phase.values()) {
      Gauge.builder("redis_operator_clusters", () -> countPhase(phase.name().toLowerCase()))
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
    clusterPhase =
        multi("redis_operator_cluster_phase", "1 for the cluster's current phase (label phase)");
    clusterInstances =
        multi("redis_operator_cluster_instances", "Data instances the spec asks for");
    clusterReadyInstances =
        multi("redis_operator_cluster_ready_instances", "Data pods that are ready");
    clusterPrimaryReady =
        multi(
            "redis_operator_cluster_primary_ready",
            "1 when the recorded primary is ready, answers as primary with Redis up and is not fenced");
    instanceReady =
        multi(
            "redis_operator_instance_ready", "1 when the data pod is ready (label role: its role)");
    instanceFenced =
        multi("redis_operator_instance_fenced", "1 while the data pod is fenced (refuses writes)");
    instanceLag =
        multi(
            "redis_operator_instance_replication_lag_bytes",
            "Bytes the replica is behind the primary's offset (0 for the primary)");
    certificateExpiry =
        multi(
            "redis_operator_certificate_expiry_timestamp_seconds",
            "When the cluster's certificate of this kind expires (label kind: agent-ca, agent, redis-ca, redis-server),"
                + " Unix seconds; agent is the earliest of the pods' certificates");
  }

  /** The per-cluster series lag the gauges handed in until the next scrape rebuilds them. */
  private final java.util.concurrent.atomic.AtomicBoolean clusterSeriesStale =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** The certificate expiry series lag the clusters' reports the same way. */
  private final java.util.concurrent.atomic.AtomicBoolean certificateSeriesStale =
      new java.util.concurrent.atomic.AtomicBoolean();

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    if (clusterSeriesStale.getAndSet(false)) {
      refresh();
    }
    if (certificateSeriesStale.getAndSet(false)) {
      refreshCertificates();
    }
    return registry.scrape();
  }

  public void recordReconcile(Duration duration) {
    reconcile.record(duration);
  }

  public void recordPoll(Duration duration) {
    poll.record(duration);
  }

  /** A primary change: kind {@code failover} (unplanned) or {@code switchover} (planned). */
  public void failover(String namespace, String cluster, String kind) {
    failovers(new ClusterKey(namespace, cluster), kind).increment();
  }

  /** A reconcile pass whose actions or status write failed (it is retried). */
  public void reconcileError(String namespace, String cluster) {
    reconcileErrors(new ClusterKey(namespace, cluster)).increment();
  }

  private Counter failovers(ClusterKey key, String kind) {
    return Counter.builder("redis_operator_failovers")
        .description("Primary changes by kind (failover, switchover)")
        .tags(key.tags())
        .tag("kind", kind)
        .register(registry);
  }

  private Counter reconcileErrors(ClusterKey key) {
    return Counter.builder("redis_operator_reconcile_errors")
        .description("Reconcile passes with a failed Kubernetes call, agent call or status write")
        .tags(key.tags())
        .register(registry);
  }

  /**
   * The cluster's counters exist from its first pass, at 0, so the first failover or error is an
   * increase that {@code increase()} and {@code rate()} can see (a series born at 1 shows none).
   */
  private List<Counter> counters(ClusterKey key) {
    return List.of(failovers(key, "failover"), failovers(key, "switchover"), reconcileErrors(key));
  }

  /**
   * One Kubernetes API call: verb (create, patch, delete, update_status, get, event) and outcome
   * (ok, conflict, ...).
   */
  public void apiCall(String verb, String outcome) {
    Counter.builder("redis_operator_api_calls")
        .description("Kubernetes API calls by verb and outcome")
        .tag("verb", verb)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
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

  public void cluster(String namespace, String name, ClusterGauges gauges) {
    ClusterKey key = new ClusterKey(namespace, name);
    if (clusters.put(key, gauges) == null) {
      counters(key);
    }
    // Rebuilt at the next scrape, not here: a pass would otherwise rebuild every cluster's rows
    // under one lock (1000 clusters: a million rows a second while they all start).
    clusterSeriesStale.set(true);
  }

  /** The expiry of each kind of certificate the cluster holds now (kinds it no longer has go). */
  public void certificates(
      String namespace, String name, Map<String, java.time.Instant> expiryByKind) {
    ClusterKey key = new ClusterKey(namespace, name);
    if (!expiryByKind.equals(certificates.put(key, Map.copyOf(expiryByKind)))) {
      // Rebuilt at the next scrape like the cluster series: rebuilding every cluster's rows at
      // each cluster's first report costs O(clusters^2) while a thousand clusters start.
      certificateSeriesStale.set(true);
    }
  }

  private synchronized void refreshCertificates() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    certificates.forEach(
        (key, byKind) ->
            byKind.forEach(
                (kind, at) ->
                    rows.add(
                        MultiGauge.Row.of(key.tags().and("kind", kind), at.getEpochSecond()))));
    certificateExpiry.register(rows, true);
  }

  public void clusterGone(String namespace, String name) {
    ClusterKey key = new ClusterKey(namespace, name);
    clusters.remove(key);
    if (certificates.remove(key) != null) {
      certificateSeriesStale.set(true);
    }
    counters(key).forEach(registry::remove);
    sentinelsGone(namespace + "/" + name);
    clusterSeriesStale.set(true);
  }

  private synchronized void refresh() {
    List<MultiGauge.Row<?>> phase = new ArrayList<>();
    List<MultiGauge.Row<?>> instances = new ArrayList<>();
    List<MultiGauge.Row<?>> ready = new ArrayList<>();
    List<MultiGauge.Row<?>> primary = new ArrayList<>();
    List<MultiGauge.Row<?>> podReady = new ArrayList<>();
    List<MultiGauge.Row<?>> fenced = new ArrayList<>();
    List<MultiGauge.Row<?>> lag = new ArrayList<>();
    clusters.forEach(
        (key, g) -> {
          Tags tags = key.tags();
          phase.add(MultiGauge.Row.of(tags.and("phase", g.phase()), 1));
          instances.add(MultiGauge.Row.of(tags, g.instances()));
          ready.add(MultiGauge.Row.of(tags, g.readyInstances()));
          primary.add(MultiGauge.Row.of(tags, g.primaryReady() ? 1 : 0));
          g.pods()
              .forEach(
                  (pod, i) -> {
                    Tags podTags = tags.and("pod", pod);
                    podReady.add(
                        MultiGauge.Row.of(podTags.and("role", i.role()), i.ready() ? 1 : 0));
                    fenced.add(MultiGauge.Row.of(podTags, i.fenced() ? 1 : 0));
                    if (i.lagBytes() != null) {
                      lag.add(MultiGauge.Row.of(podTags, i.lagBytes()));
                    }
                  });
        });
    clusterPhase.register(phase, true);
    clusterInstances.register(instances, true);
    clusterReadyInstances.register(ready, true);
    clusterPrimaryReady.register(primary, true);
    instanceReady.register(podReady, true);
    instanceFenced.register(fenced, true);
    instanceLag.register(lag, true);
  }

  /**
   * A sentinel-mode cluster's quorum ({@code redis_operator_sentinel_quorum_ok}, 1 while a majority
   * of its sentinels report the recorded primary) and how many do ({@code
   * redis_operator_sentinels_following}), tagged by namespace and cluster. {@code following} null:
   * not in sentinel mode, the series go.
   */
  public void sentinelQuorum(String namespace, String name, Boolean quorumOk, Integer following) {
    String clusterKey = namespace + "/" + name;
    if (quorumOk == null || following == null) {
      sentinelsGone(clusterKey);
      return;
    }
    long[] values = sentinelsByCluster.computeIfAbsent(clusterKey, k -> new long[2]);
    values[0] = quorumOk ? 1 : 0;
    values[1] = following;
    sentinelGauges.computeIfAbsent(
        clusterKey,
        k -> {
          Tags tags = new ClusterKey(namespace, name).tags();
          return List.of(
              Gauge.builder("redis_operator_sentinel_quorum_ok", values, v -> v[0])
                  .description(
                      "1 while a majority of the cluster's sentinels report the recorded primary (sentinel mode)")
                  .tags(tags)
                  .register(registry),
              Gauge.builder("redis_operator_sentinels_following", values, v -> v[1])
                  .description(
                      "Sentinels of the cluster that answer and report the recorded primary (sentinel mode)")
                  .tags(tags)
                  .register(registry));
        });
  }

  private void sentinelsGone(String clusterKey) {
    sentinelsByCluster.remove(clusterKey);
    List<Meter> gauges = sentinelGauges.remove(clusterKey);
    if (gauges != null) {
      gauges.forEach(registry::remove);
    }
  }

  private MultiGauge multi(String name, String help) {
    return MultiGauge.builder(name).description(help).register(registry);
  }

  private double countPhase(String phase) {
    return clusters.values().stream().filter(g -> g.phase().equals(phase)).count();
  }

  private double countRole(String role) {
    return clusters.values().stream()
        .mapToLong(g -> g.pods().values().stream().filter(i -> i.role().equals(role)).count())
        .sum();
  }
}
