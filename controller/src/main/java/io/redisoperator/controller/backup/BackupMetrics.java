package io.redisoperator.controller.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backup metrics per cluster (labels {@code namespace}, {@code cluster}). The last-success gauges
 * are recomputed from the Completed RedisBackups in the cache, so they survive an operator restart;
 * alerts such as "no successful backup within the schedule" compare {@code
 * redis_operator_backup_last_success_timestamp_seconds} with {@code time()}.
 *
 * <ul>
 *   <li>{@code redis_operator_backup_last_success_timestamp_seconds}: when the latest Completed
 *       backup finished
 *   <li>{@code redis_operator_backup_last_success_size_bytes}: its size in the store
 *   <li>{@code redis_operator_backup_last_success_duration_seconds}: how long it took
 *   <li>{@code redis_operator_backup_failures_total}: backups that ended Failed (seen by this
 *       operator process)
 *   <li>{@code redis_operator_backup_running}: 1 while a backup of the cluster is Running
 *   <li>{@code redis_operator_scheduled_backup_interval_seconds} (also label {@code schedule}): the
 *       longest gap between two runs of an active RedisScheduledBackup, so an alert knows how old
 *       the newest success may get
 *   <li>{@code redis_operator_scheduled_backup_created_timestamp_seconds}: when that schedule was
 *       created, for a cluster that never had a successful backup
 * </ul>
 *
 * The failure counter exists at 0 from the first RedisBackup of a cluster on, so the first failure
 * is an increase Prometheus sees.
 */
public final class BackupMetrics {
  /** The latest successful backup of one cluster. */
  public record LastSuccess(
      double finishedEpochSeconds, double sizeBytes, double durationSeconds) {}

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<LastSuccess>> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<Double>> running = new ConcurrentHashMap<>();

  /** namespace/schedule → its two gauges and their current values. */
  private final Map<String, ScheduleGauges> schedules = new ConcurrentHashMap<>();

  /**
   * An active schedule's expectations: the longest gap between two runs, and when the schedule was
   * created.
   */
  public record ScheduleExpectation(double intervalSeconds, double createdEpochSeconds) {}

  private record ScheduleGauges(
      String cluster, AtomicReference<ScheduleExpectation> value, List<Meter> meters) {}

  public BackupMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void lastSuccess(String namespace, String cluster, LastSuccess value) {
    lastSuccess
        .computeIfAbsent(
            namespace + "/" + cluster,
            k -> {
              AtomicReference<LastSuccess> ref = new AtomicReference<>(value);
              gauge(
                  "redis_operator_backup_last_success_timestamp_seconds",
                  "Unix time the latest Completed backup of the cluster finished",
                  namespace,
                  cluster,
                  () -> ref.get().finishedEpochSeconds());
              gauge(
                  "redis_operator_backup_last_success_size_bytes",
                  "Size in the store of the latest Completed backup of the cluster",
                  namespace,
                  cluster,
                  () -> ref.get().sizeBytes());
              gauge(
                  "redis_operator_backup_last_success_duration_seconds",
                  "Duration of the latest Completed backup of the cluster",
                  namespace,
                  cluster,
                  () -> ref.get().durationSeconds());
              return ref;
            })
        .set(value);
  }

  public void running(String namespace, String cluster, boolean isRunning) {
    running
        .computeIfAbsent(
            namespace + "/" + cluster,
            k -> {
              AtomicReference<Double> ref = new AtomicReference<>(0.0);
              gauge(
                  "redis_operator_backup_running",
                  "1 while a backup of the cluster is Running",
                  namespace,
                  cluster,
                  ref::get);
              return ref;
            })
        .set(isRunning ? 1.0 : 0.0);
  }

  public void failed(String namespace, String cluster) {
    failures(namespace, cluster).increment();
  }

  /** Registers the cluster's failure counter (at 0 until a backup fails). */
  public void clusterHasBackups(String namespace, String cluster) {
    failures(namespace, cluster);
  }

  private Counter failures(String namespace, String cluster) {
    return Counter.builder("redis_operator_backup_failures")
        .description("Backups that ended Failed")
        .tag("namespace", namespace)
        .tag("cluster", cluster)
        .register(registry);
  }

  /**
   * Records an active schedule of {@code cluster}; {@link #retainSchedules} drops the ones no
   * longer active.
   */
  public void schedule(
      String namespace, String schedule, String cluster, ScheduleExpectation value) {
    String key = namespace + "/" + schedule;
    ScheduleGauges current = schedules.get(key);
    if (current != null && !current.cluster().equals(cluster)) {
      dropSchedule(key);
      current = null;
    }
    if (current == null) {
      AtomicReference<ScheduleExpectation> ref = new AtomicReference<>(value);
      Tags tags = Tags.of("namespace", namespace, "cluster", cluster, "schedule", schedule);
      List<Meter> meters =
          List.of(
              Gauge.builder(
                      "redis_operator_scheduled_backup_interval_seconds",
                      () -> ref.get().intervalSeconds())
                  .description("Longest gap between two runs of the RedisScheduledBackup")
                  .tags(tags)
                  .register(registry),
              Gauge.builder(
                      "redis_operator_scheduled_backup_created_timestamp_seconds",
                      () -> ref.get().createdEpochSeconds())
                  .description("Unix time the RedisScheduledBackup was created")
                  .tags(tags)
                  .register(registry));
      schedules.put(key, new ScheduleGauges(cluster, ref, meters));
    } else {
      current.value().set(value);
    }
  }

  /** Drops the schedule gauges of every {@code namespace/schedule} not in {@code active}. */
  public void retainSchedules(Set<String> active) {
    schedules.keySet().stream()
        .filter(k -> !active.contains(k))
        .toList()
        .forEach(this::dropSchedule);
  }

  private void dropSchedule(String key) {
    ScheduleGauges gone = schedules.remove(key);
    if (gone != null) {
      gone.meters().forEach(registry::remove);
    }
  }

  private void gauge(
      String name,
      String help,
      String namespace,
      String cluster,
      java.util.function.Supplier<Number> f) {
    Gauge.builder(name, f)
        .description(help)
        .tag("namespace", namespace)
        .tag("cluster", cluster)
        .register(registry);
  }
}
