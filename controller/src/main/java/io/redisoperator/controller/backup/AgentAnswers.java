package io.redisoperator.controller.backup;

import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.BackupProgress;
import java.util.concurrent.CompletionException;

/**
 * Pure: what an agent's answer to a backup request means for the backup: a start refused or failed,
 * a progress poll that found the backup, found none, or reached no agent.
 */
public final class AgentAnswers {
  /** What a failed start request says about the backup. */
  public enum StartFailure {
    /**
     * Nothing listened at the pod's address (an agent still starting, or an address the cache has
     * not seen change yet), so nothing started there: back to Pending.
     */
    NOT_STARTED,
    /** The agent refused the start (409: another backup runs, 4xx) or cannot be reached. */
    CANNOT_RUN,
    /** Anything else: whether it started is not known. */
    UNKNOWN
  }

  private AgentAnswers() {}

  public static StartFailure startFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AgentCallException call) {
        return call.kind() == PollFailure.CONNECTION_REFUSED
            ? StartFailure.NOT_STARTED
            : StartFailure.CANNOT_RUN;
      }
    }
    return StartFailure.UNKNOWN;
  }

  /**
   * What a progress poll saw: the agent's progress, no backup since it started (404), or no answer;
   * how long the agent has been unreachable is the actor's to add.
   */
  public static RunningBackupJudge.Observation progress(BackupProgress progress, Throwable error) {
    if (error == null) {
      return new RunningBackupJudge.Reported(progress);
    }
    return notFound(error)
        ? new RunningBackupJudge.NoneSinceStart()
        : new RunningBackupJudge.Unreachable(rootMessage(error), -1);
  }

  /** The failure's own message, not the wrapping of the stage it went through. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && t instanceof CompletionException) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  private static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AgentCallException a && a.httpStatus() == 404) {
        return true;
      }
    }
    return false;
  }
}
