package io.redisoperator.controller.backup;

import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.BackupTarget;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure: may a Pending backup start now? It fails at once when it can never run (no cluster, no
 * credentials, no destination), waits while its cluster is not Healthy or another backup of the
 * cluster runs or is ahead of it, and otherwise starts on the pod {@link BackupTargetPicker}
 * chooses. One backup per cluster at a time, oldest first.
 */
public final class BackupAdmission {
  private BackupAdmission() {}

  public enum Verdict {
    START,
    WAIT,
    FAIL
  }

  /**
   * @param choice set when {@code verdict} is START
   */
  public record Decision(Verdict verdict, String reason, BackupTargetPicker.Choice choice) {
    static Decision waitFor(String reason) {
      return new Decision(Verdict.WAIT, reason, null);
    }

    static Decision fail(String reason) {
      return new Decision(Verdict.FAIL, reason, null);
    }
  }

  /**
   * @param sameCluster every RedisBackup of the same namespace naming the same cluster (this one
   *     included)
   */
  public static Decision decide(
      RedisBackup backup, Optional<RedisCluster> cluster, List<RedisBackup> sameCluster) {
    String clusterName = backup.getSpec().getCluster().getName();
    if (backup.getSpec().getDestination() == null
        || backup.getSpec().getDestination().getBucket() == null) {
      return Decision.fail("spec.destination.bucket is required");
    }
    if (cluster.isEmpty()) {
      return Decision.fail("RedisCluster " + clusterName + " does not exist");
    }
    RedisCluster c = cluster.get();
    if (c.getSpec().getBackup() == null || c.getSpec().getBackup().getCredentialsSecret() == null) {
      return Decision.fail(
          "RedisCluster "
              + clusterName
              + " has no spec.backup.credentialsSecret for the object store");
    }
    Optional<RedisBackup> running =
        sameCluster.stream()
            .filter(b -> phase(b) == BackupPhase.RUNNING && !same(b, backup))
            .findFirst();
    if (running.isPresent()) {
      return Decision.waitFor(
          "backup " + running.get().getMetadata().getName() + " of the cluster is running");
    }
    Optional<RedisBackup> first =
        sameCluster.stream()
            .filter(b -> phase(b) == null || phase(b) == BackupPhase.PENDING)
            .filter(b -> b.getMetadata().getDeletionTimestamp() == null)
            .min(
                Comparator.comparing(
                        (RedisBackup b) -> String.valueOf(b.getMetadata().getCreationTimestamp()))
                    .thenComparing(b -> b.getMetadata().getName()));
    if (first.isPresent() && !same(first.get(), backup)) {
      return Decision.waitFor(
          "backup " + first.get().getMetadata().getName() + " of the cluster goes first");
    }
    Phase phase = c.getStatus() == null ? null : c.getStatus().getPhase();
    if (phase != Phase.HEALTHY) {
      return Decision.waitFor(
          "RedisCluster "
              + clusterName
              + " is "
              + (phase == null ? "not yet observed" : phase)
              + ", not Healthy");
    }
    BackupTarget target =
        backup.getSpec().getTarget() == null
            ? BackupTarget.PREFER_REPLICA
            : backup.getSpec().getTarget();
    return BackupTargetPicker.pick(c, target)
        .map(choice -> new Decision(Verdict.START, "taking the backup on " + choice.pod(), choice))
        .orElseGet(() -> Decision.waitFor("no ready data pod fits target " + target));
  }

  static BackupPhase phase(RedisBackup b) {
    return b.getStatus() == null ? null : b.getStatus().getPhase();
  }

  private static boolean same(RedisBackup a, RedisBackup b) {
    return Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }
}
