package io.redisoperator.controller.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.crd.BackupMethod;
import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.BackupSpec;
import io.redisoperator.protocol.crd.BackupTarget;
import io.redisoperator.protocol.crd.ClusterReference;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.ObjectStore;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisBackupStatus;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.SecretReference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which pod, whether a backup may start, what a Running backup's agent answer means, which history
 * to delete.
 */
class BackupPlannersTest {
  static RedisCluster cluster(Phase phase) {
    RedisCluster c = new RedisCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("cache").withNamespace("ns").build());
    c.getSpec().setInstances(3);
    c.getSpec().setBackup(new BackupSpec(new SecretReference("s3-creds")));
    c.getStatus().setPhase(phase);
    c.getStatus().setCurrentPrimary("cache-0");
    c.getStatus()
        .getInstancesStatus()
        .put("cache-0", entry(InstanceRole.PRIMARY, "10.0.0.1", 0L, true));
    c.getStatus()
        .getInstancesStatus()
        .put("cache-1", entry(InstanceRole.REPLICA, "10.0.0.2", 100L, true));
    c.getStatus()
        .getInstancesStatus()
        .put("cache-2", entry(InstanceRole.REPLICA, "10.0.0.3", 0L, true));
    return c;
  }

  static InstanceStatusEntry entry(InstanceRole role, String ip, Long lag, boolean ready) {
    InstanceStatusEntry e = new InstanceStatusEntry();
    e.setRole(role);
    e.setPodIP(ip);
    e.setLagBytes(lag);
    e.setReady(ready);
    e.setRedisUp(true);
    e.setLinkUp(role == InstanceRole.REPLICA ? true : null);
    return e;
  }

  static RedisBackup backup(String name, String created, BackupPhase phase) {
    RedisBackup b = new RedisBackup();
    b.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ns")
            .withUid("1234abcd-5678")
            .withCreationTimestamp(created)
            .build());
    b.getSpec().setCluster(new ClusterReference("cache"));
    b.getSpec().setDestination(new ObjectStore("backups", "prod/", null, null, true));
    if (phase != null) {
      RedisBackupStatus s = new RedisBackupStatus();
      s.setPhase(phase);
      b.setStatus(s);
    }
    return b;
  }

  @Test
  void preferReplicaTakesTheLeastLaggingReplicaAndFallsBackToThePrimary() {
    RedisCluster c = cluster(Phase.HEALTHY);
    assertEquals(
        "cache-2", BackupTargetPicker.pick(c, BackupTarget.PREFER_REPLICA).orElseThrow().pod());
    assertEquals("cache-0", BackupTargetPicker.pick(c, BackupTarget.PRIMARY).orElseThrow().pod());
    c.getStatus().getInstancesStatus().get("cache-1").setReady(false);
    c.getStatus().getInstancesStatus().get("cache-2").setLinkUp(false);
    assertEquals(
        "cache-0", BackupTargetPicker.pick(c, BackupTarget.PREFER_REPLICA).orElseThrow().pod());
  }

  @Test
  void sentinelPodsAndFencedPodsAreNeverChosen() {
    RedisCluster c = cluster(Phase.HEALTHY);
    c.getStatus().getInstancesStatus().remove("cache-1");
    c.getStatus().getInstancesStatus().remove("cache-2");
    c.getStatus()
        .getInstancesStatus()
        .put("cache-sentinel-0", entry(InstanceRole.REPLICA, "10.0.0.9", 0L, true));
    assertEquals(
        "cache-0", BackupTargetPicker.pick(c, BackupTarget.PREFER_REPLICA).orElseThrow().pod());
    c.getStatus().getInstancesStatus().get("cache-0").setFenced(true);
    assertTrue(BackupTargetPicker.pick(c, BackupTarget.PREFER_REPLICA).isEmpty());
  }

  @Test
  void oneBackupPerClusterOldestFirstAndOnlyOnAHealthyCluster() {
    RedisBackup older = backup("b1", "2026-01-01T00:00:00Z", BackupPhase.PENDING);
    RedisBackup newer = backup("b2", "2026-01-01T00:01:00Z", BackupPhase.PENDING);
    Optional<RedisCluster> healthy = Optional.of(cluster(Phase.HEALTHY));
    assertEquals(
        BackupAdmission.Verdict.START,
        BackupAdmission.decide(older, healthy, List.of(older, newer)).verdict());
    assertEquals(
        BackupAdmission.Verdict.WAIT,
        BackupAdmission.decide(newer, healthy, List.of(older, newer)).verdict());
    RedisBackup running = backup("b0", "2025-12-31T00:00:00Z", BackupPhase.RUNNING);
    BackupAdmission.Decision d = BackupAdmission.decide(older, healthy, List.of(running, older));
    assertEquals(BackupAdmission.Verdict.WAIT, d.verdict());
    assertTrue(d.reason().contains("b0"));
    assertEquals(
        BackupAdmission.Verdict.WAIT,
        BackupAdmission.decide(older, Optional.of(cluster(Phase.FAILING_OVER)), List.of(older))
            .verdict());
  }

  @Test
  void backupsThatCanNeverRunFailAtOnce() {
    RedisBackup b = backup("b1", "2026-01-01T00:00:00Z", BackupPhase.PENDING);
    assertEquals(
        BackupAdmission.Verdict.FAIL,
        BackupAdmission.decide(b, Optional.empty(), List.of(b)).verdict());
    RedisCluster noCredentials = cluster(Phase.HEALTHY);
    noCredentials.getSpec().setBackup(null);
    BackupAdmission.Decision d = BackupAdmission.decide(b, Optional.of(noCredentials), List.of(b));
    assertEquals(BackupAdmission.Verdict.FAIL, d.verdict());
    assertTrue(d.reason().contains("credentialsSecret"));
  }

  @Test
  void aRunningBackupAlwaysEnds() {
    BackupProgress done = progress("id-1", BackupProgress.State.COMPLETED);
    assertEquals(
        RunningBackupJudge.Outcome.COMPLETED,
        RunningBackupJudge.judge(
                "id-1", "cache-1", true, new RunningBackupJudge.Reported(done), 30_000)
            .outcome());
    assertEquals(
        RunningBackupJudge.Outcome.KEEP_RUNNING,
        RunningBackupJudge.judge(
                "id-1",
                "cache-1",
                true,
                new RunningBackupJudge.Reported(progress("id-1", BackupProgress.State.RUNNING)),
                30_000)
            .outcome());
    assertEquals(
        RunningBackupJudge.Outcome.FAILED,
        RunningBackupJudge.judge(
                "id-1",
                "cache-1",
                false,
                new RunningBackupJudge.Reported(progress("id-1", BackupProgress.State.RUNNING)),
                30_000)
            .outcome());
    assertEquals(
        RunningBackupJudge.Outcome.FAILED,
        RunningBackupJudge.judge(
                "id-1", "cache-1", true, new RunningBackupJudge.NoneSinceStart(), 30_000)
            .outcome());
    assertEquals(
        RunningBackupJudge.Outcome.FAILED,
        RunningBackupJudge.judge(
                "id-1",
                "cache-1",
                true,
                new RunningBackupJudge.Reported(progress("other", BackupProgress.State.RUNNING)),
                30_000)
            .outcome());
    assertEquals(
        RunningBackupJudge.Outcome.KEEP_RUNNING,
        RunningBackupJudge.judge(
                "id-1",
                "cache-1",
                true,
                new RunningBackupJudge.Unreachable("timeout", 10_000),
                30_000)
            .outcome());
    assertEquals(
        RunningBackupJudge.Outcome.FAILED,
        RunningBackupJudge.judge(
                "id-1",
                "cache-1",
                true,
                new RunningBackupJudge.Unreachable("timeout", 31_000),
                30_000)
            .outcome());
  }

  @Test
  void objectKeysAreStablePerBackup() {
    RedisBackup b = backup("nightly", "2026-01-01T00:00:00Z", null);
    assertEquals("prod/ns/cache/nightly-1234abcd.rdb", ObjectKeys.key(b));
    b.getSpec().setMethod(BackupMethod.AOF);
    b.getSpec().getDestination().setPath(null);
    assertEquals("ns/cache/nightly-1234abcd.tar", ObjectKeys.key(b));
  }

  @Test
  void historyKeepsTheNewestAndRetentionDeletesObjects() {
    Instant now = Instant.parse("2026-01-10T00:00:00Z");
    List<HistoryPlanner.Entry> entries =
        List.of(
            new HistoryPlanner.Entry(
                "c1",
                BackupPhase.COMPLETED,
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:01:00Z")),
            new HistoryPlanner.Entry(
                "c2", BackupPhase.COMPLETED, Instant.parse("2026-01-08T00:00:00Z"), null),
            new HistoryPlanner.Entry(
                "c3", BackupPhase.COMPLETED, Instant.parse("2026-01-09T00:00:00Z"), null),
            new HistoryPlanner.Entry(
                "c4", BackupPhase.COMPLETED, Instant.parse("2026-01-09T12:00:00Z"), null),
            new HistoryPlanner.Entry(
                "f1", BackupPhase.FAILED, Instant.parse("2026-01-09T01:00:00Z"), null),
            new HistoryPlanner.Entry(
                "f2", BackupPhase.FAILED, Instant.parse("2026-01-09T02:00:00Z"), null),
            new HistoryPlanner.Entry(
                "r1", BackupPhase.RUNNING, Instant.parse("2026-01-01T00:00:00Z"), null));
    List<HistoryPlanner.Deletion> d = HistoryPlanner.plan(entries, 2, 1, Duration.ofDays(7), now);
    assertEquals(List.of("c1", "c2", "f1"), d.stream().map(HistoryPlanner.Deletion::name).toList());
    assertTrue(d.get(0).deleteObjects(), "retention deletes the object");
    assertTrue(!d.get(1).deleteObjects(), "the history limit keeps it");
  }

  @Test
  void retentionParses() {
    assertEquals(Duration.ofDays(7), HistoryPlanner.parseRetention("7d"));
    assertEquals(Duration.ofHours(36).plusMinutes(30), HistoryPlanner.parseRetention("1d12h30m"));
    assertThrows(IllegalArgumentException.class, () -> HistoryPlanner.parseRetention("7 days"));
    assertThrows(IllegalArgumentException.class, () -> HistoryPlanner.parseRetention("d"));
  }

  private static BackupProgress progress(String id, BackupProgress.State state) {
    return new BackupProgress(
        id, BackupMethod.RDB, state, "s3://b/k", 10, null, null, 0, null, null);
  }
}
