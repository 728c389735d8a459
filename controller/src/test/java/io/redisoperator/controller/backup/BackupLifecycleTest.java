package io.redisoperator.controller.backup;

import static io.redisoperator.controller.backup.BackupPlannersTest.backup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.backup.BackupLifecycle.Next;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.crd.BackupDeletionPolicy;
import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.RedisBackup;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * What a backup needs next, what an agent's answer means for it, and what a cluster's backups say
 * for its metrics.
 */
class BackupLifecycleTest {
  private static final String T = "2026-01-01T00:00:00Z";

  @Test
  void aNewOrPendingBackupIsAdmittedAndARunningOneFollowedOnlyWhenPolling() {
    assertEquals(Next.ADMIT, BackupLifecycle.next(backup("b", T, null), false));
    assertEquals(Next.ADMIT, BackupLifecycle.next(backup("b", T, BackupPhase.PENDING), true));
    assertEquals(Next.FOLLOW, BackupLifecycle.next(backup("b", T, BackupPhase.RUNNING), true));
    assertEquals(Next.NOTHING, BackupLifecycle.next(backup("b", T, BackupPhase.RUNNING), false));
    assertEquals(Next.NOTHING, BackupLifecycle.next(backup("b", T, BackupPhase.COMPLETED), true));
  }

  @Test
  void aDeletePolicyBackupGetsTheFinalizerFirstAndGivesItBackAfterItsObject() {
    RedisBackup b = backup("b", T, null);
    b.getSpec().setDeletionPolicy(BackupDeletionPolicy.DELETE);
    assertEquals(Next.ADD_FINALIZER, BackupLifecycle.next(b, true));

    b.getMetadata().setFinalizers(BackupLifecycle.withFinalizer(b));
    assertEquals(List.of(BackupLifecycle.FINALIZER), b.getMetadata().getFinalizers());
    assertEquals(Next.ADMIT, BackupLifecycle.next(b, false));

    b.getMetadata().setDeletionTimestamp(T);
    assertEquals(Next.DELETE_OBJECT, BackupLifecycle.next(b, false));
    assertEquals(List.of(), BackupLifecycle.withoutFinalizer(b));

    b.getMetadata().setFinalizers(List.of("someone-else"));
    assertEquals(Next.NOTHING, BackupLifecycle.next(b, true));
  }

  @Test
  void aStartRefusedAtTheConnectionDidNotStartAnyOtherAgentFailureCannotRun() {
    AgentCallException refused =
        new AgentCallException(PollFailure.CONNECTION_REFUSED, 0, null, "refused", null);
    AgentCallException conflict =
        new AgentCallException(PollFailure.HTTP_ERROR, 409, null, "busy", null);
    assertEquals(
        AgentAnswers.StartFailure.NOT_STARTED,
        AgentAnswers.startFailure(new CompletionException(refused)));
    assertEquals(
        AgentAnswers.StartFailure.CANNOT_RUN,
        AgentAnswers.startFailure(new CompletionException(conflict)));
    assertEquals(
        AgentAnswers.StartFailure.UNKNOWN,
        AgentAnswers.startFailure(new IllegalStateException("patch failed")));
    assertEquals("busy", AgentAnswers.rootMessage(new CompletionException(conflict)));
  }

  @Test
  void aProgressPollIsAReportNoneSinceStartOrUnreachable() {
    BackupProgress progress =
        new BackupProgress(
            "id", null, BackupProgress.State.RUNNING, "s3://b/k", 1L, null, null, 0L, null, null);
    assertEquals(new RunningBackupJudge.Reported(progress), AgentAnswers.progress(progress, null));
    assertInstanceOf(
        RunningBackupJudge.NoneSinceStart.class,
        AgentAnswers.progress(
            null, new AgentCallException(PollFailure.HTTP_ERROR, 404, null, "none", null)));
    assertEquals(
        new RunningBackupJudge.Unreachable("timed out", -1),
        AgentAnswers.progress(
            null, new AgentCallException(PollFailure.TIMEOUT, 0, null, "timed out", null)));
  }

  @Test
  void aClusterSummaryIsRunningAndItsLatestCompletedBackup() {
    RedisBackup running = backup("r", T, BackupPhase.RUNNING);
    RedisBackup older = completed("old", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 10L);
    RedisBackup newer = completed("new", "2026-01-02T00:00:00Z", "2026-01-02T00:00:30Z", 20L);

    ClusterBackupSummary summary = ClusterBackupSummary.of(List.of(older, running, newer));

    assertEquals(true, summary.running());
    BackupMetrics.LastSuccess last = summary.lastSuccess().orElseThrow();
    assertEquals(
        java.time.Instant.parse("2026-01-02T00:00:30Z").getEpochSecond(),
        last.finishedEpochSeconds());
    assertEquals(20, last.sizeBytes());
    assertEquals(30, last.durationSeconds());
    assertEquals(
        new ClusterBackupSummary(false, java.util.Optional.empty()),
        ClusterBackupSummary.of(List.of(backup("p", T, BackupPhase.PENDING))));
  }

  private static RedisBackup completed(String name, String started, String stopped, long size) {
    RedisBackup b = backup(name, T, BackupPhase.COMPLETED);
    b.getStatus().setStartedAt(started);
    b.getStatus().setStoppedAt(stopped);
    b.getStatus().setSizeBytes(size);
    return b;
  }
}
