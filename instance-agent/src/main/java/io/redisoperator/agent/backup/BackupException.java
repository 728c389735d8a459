package io.redisoperator.agent.backup;

/**
 * A backup or restore that cannot go on; the message is what the RedisBackup status and the events
 * show.
 */
public final class BackupException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
