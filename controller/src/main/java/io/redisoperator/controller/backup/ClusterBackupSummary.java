package io.redisoperator.controller.backup;

import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.RedisBackup;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Pure: what one cluster's backups say for its metrics: whether one is Running, and the latest
 * Completed one's end, size and duration.
 */
public record ClusterBackupSummary(
    boolean running, Optional<BackupMetrics.LastSuccess> lastSuccess) {

  public static ClusterBackupSummary of(List<RedisBackup> backups) {
    boolean running =
        backups.stream().anyMatch(b -> BackupAdmission.phase(b) == BackupPhase.RUNNING);
    Optional<BackupMetrics.LastSuccess> last =
        backups.stream()
            .filter(
                b ->
                    BackupAdmission.phase(b) == BackupPhase.COMPLETED
                        && b.getStatus().getStoppedAt() != null)
            .max(Comparator.comparing(b -> b.getStatus().getStoppedAt()))
            .map(ClusterBackupSummary::lastSuccess);
    return new ClusterBackupSummary(running, last);
  }

  private static BackupMetrics.LastSuccess lastSuccess(RedisBackup b) {
    Instant stopped = Instant.parse(b.getStatus().getStoppedAt());
    Instant started =
        b.getStatus().getStartedAt() == null
            ? stopped
            : Instant.parse(b.getStatus().getStartedAt());
    long size = b.getStatus().getSizeBytes() == null ? 0 : b.getStatus().getSizeBytes();
    return new BackupMetrics.LastSuccess(
        stopped.getEpochSecond(),
        size,
        Math.max(0, stopped.getEpochSecond() - started.getEpochSecond()));
  }
}
