package io.redisoperator.controller.cluster;

import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.crd.FailoverSpec;
import io.redisoperator.protocol.crd.RedisCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a poller's report asks of the cluster actor once {@link PodReports} took it: the other pods
 * to poll at once, and whether a pass follows, at once or paced ({@link PassPacing}). The actor
 * only starts the pass or its timer. Confined to the actor.
 */
final class ReportIntake {

  /**
   * @param recheck the other pods to poll at once ({@link PodReports#recheckAfter})
   * @param passIn how long the pass the report asks for waits ({@link Duration#ZERO}: at once);
   *     empty when the report changes no decision
   * @param note for the report's debug line: why it was dropped, or that it is material
   */
  record Verdict(List<String> recheck, Optional<Duration> passIn, String note) {}

  private final PodReports reports;
  private final PassPacing pacing;

  ReportIntake(PodReports reports, PassPacing pacing) {
    this.reports = reports;
    this.pacing = pacing;
  }

  /**
   * Takes {@code report} into the reports.
   *
   * @param cluster the cluster as the actor last took it (null: not seen yet)
   */
  Verdict take(PodReport report, RedisCluster cluster, Instant now) {
    List<String> recheck = reports.recheckAfter(report);
    boolean outdated = reports.outdated(report);
    boolean material = reports.take(report, failureThreshold(cluster));
    String note = outdated ? " (outdated: dropped)" : material ? " (material)" : "";
    if (!material) {
      return new Verdict(recheck, Optional.empty(), note);
    }
    String primary = recordedPrimary(cluster);
    Duration delay =
        pacing.delay(report, primary == null ? null : reports.all().get(primary), primary, now);
    return new Verdict(recheck, Optional.of(delay), note);
  }

  /** The cluster's {@code spec.failover.failureThreshold} ({@link PodReports#take}). */
  static int failureThreshold(RedisCluster cluster) {
    FailoverSpec failover = cluster == null ? null : cluster.getSpec().getFailover();
    return failover == null
        ? FailoverSpec.DEFAULT_FAILURE_THRESHOLD
        : failover.failureThresholdOrDefault();
  }

  private static String recordedPrimary(RedisCluster cluster) {
    return cluster == null || cluster.getStatus() == null
        ? null
        : cluster.getStatus().getCurrentPrimary();
  }
}
