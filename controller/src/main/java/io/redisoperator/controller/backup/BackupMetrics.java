package io.redisoperator.controller.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backup metrics per cluster (labels {@code namespace}, {@code cluster}). The last-success gauges are recomputed from
 * the Completed RedisBackups in the cache, so they survive an operator restart; alerts such as "no successful backup
 * within the schedule" compare {@code redis_operator_backup_last_success_timestamp_seconds} with {@code time()}.
 *
 * <ul>
 *   <li>{@code redis_operator_backup_last_success_timestamp_seconds}: when the latest Completed backup finished
 *   <li>{@code redis_operator_backup_last_success_size_bytes}: its size in the store
 *   <li>{@code redis_operator_backup_last_success_duration_seconds}: how long it took
 *   <li>{@code redis_operator_backup_failures_total}: backups that ended Failed (seen by this operator process)
 *   <li>{@code redis_operator_backup_running}: 1 while a backup of the cluster is Running
 * </ul>
 */
public final class BackupMetrics {
  /** The latest successful backup of one cluster. */
  public record LastSuccess(double finishedEpochSeconds, double sizeBytes, double durationSeconds) {}

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<LastSuccess>> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<Double>> running = new ConcurrentHashMap<>();

  public BackupMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void lastSuccess(String namespace, String cluster, LastSuccess value) {
    lastSuccess
        .computeIfAbsent(
            namespace + "/" + cluster,
            k -> {
              AtomicReference<LastSuccess> ref = new AtomicReference<>(value);
              gauge("redis_operator_backup_last_success_timestamp_seconds",
                  "Unix time the latest Completed backup of the cluster finished", namespace, cluster,
                  () -> ref.get().finishedEpochSeconds());
              gauge("redis_operator_backup_last_success_size_bytes",
                  "Size in the store of the latest Completed backup of the cluster", namespace, cluster,
                  () -> ref.get().sizeBytes());
              gauge("redis_operator_backup_last_success_duration_seconds",
                  "Duration of the latest Completed backup of the cluster", namespace, cluster,
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
              gauge("redis_operator_backup_running", "1 while a backup of the cluster is Running", namespace, cluster,
                  ref::get);
              return ref;
            })
        .set(isRunning ? 1.0 : 0.0);
  }

  public void failed(String namespace, String cluster) {
    Counter.builder("redis_operator_backup_failures")
        .description("Backups that ended Failed")
        .tag("namespace", namespace)
        .tag("cluster", cluster)
        .register(registry)
        .increment();
  }

  private void gauge(String name, String help, String namespace, String cluster, java.util.function.Supplier<Number> f) {
    Gauge.builder(name, f).description(help).tag("namespace", namespace).tag("cluster", cluster).register(registry);
  }
}
