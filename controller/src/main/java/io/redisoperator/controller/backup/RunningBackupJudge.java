package io.redisoperator.controller.backup;

import io.redisoperator.protocol.agent.BackupProgress;
import java.util.Optional;

/**
 * Pure: what the latest look at a Running backup's agent means. A Running backup always ends:
 * Completed or Failed with the agent's result, or Failed when its pod is gone, its agent no longer
 * knows it (restarted: the transfer was interrupted) or cannot be reached for too long.
 */
public final class RunningBackupJudge {
  private RunningBackupJudge() {}

  public enum Outcome {
    KEEP_RUNNING,
    COMPLETED,
    FAILED
  }

  public record Verdict(Outcome outcome, String reason, BackupProgress progress) {}

  /** What the agent answered to {@code GET /v1/backup}. */
  public sealed interface Observation {}

  /** The agent's latest backup (any id). */
  public record Reported(BackupProgress progress) implements Observation {}

  /** The agent has run no backup since it started (404). */
  public record NoneSinceStart() implements Observation {}

  /**
   * The call failed; {@code failingForMillis} since the last successful answer (or since the
   * start).
   */
  public record Unreachable(String error, long failingForMillis) implements Observation {}

  public static Verdict judge(
      String backupId,
      String pod,
      boolean podPresent,
      Observation seen,
      long unreachableLimitMillis) {
    if (!podPresent) {
      return new Verdict(Outcome.FAILED, "pod " + pod + " was deleted during the backup", null);
    }
    if (seen instanceof NoneSinceStart) {
      return new Verdict(
          Outcome.FAILED,
          "interrupted: the agent of " + pod + " restarted during the backup",
          null);
    }
    if (seen instanceof Unreachable u) {
      return u.failingForMillis() > unreachableLimitMillis
          ? new Verdict(
              Outcome.FAILED,
              "the agent of "
                  + pod
                  + " was unreachable for "
                  + u.failingForMillis() / 1000
                  + " s: "
                  + u.error(),
              null)
          : new Verdict(Outcome.KEEP_RUNNING, "agent not answering: " + u.error(), null);
    }
    BackupProgress p = ((Reported) seen).progress();
    if (!backupId.equals(p.backupId())) {
      return new Verdict(
          Outcome.FAILED,
          "interrupted: the agent of "
              + pod
              + " no longer runs this backup (it restarted"
              + " or ran "
              + p.backupId()
              + ")",
          null);
    }
    return switch (p.state()) {
      case RUNNING -> new Verdict(Outcome.KEEP_RUNNING, "transferring", p);
      case COMPLETED -> new Verdict(Outcome.COMPLETED, "completed", p);
      case FAILED ->
          new Verdict(
              Outcome.FAILED, Optional.ofNullable(p.error()).orElse("failed on the agent"), p);
    };
  }
}
