package io.redisoperator.protocol.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.redisoperator.protocol.crd.BackupMethod;

/**
 * The agent's latest backup (or restore): {@code GET /v1/backup}, and {@link
 * InstanceStatus#backup()}.
 *
 * @param bytesTransferred bytes uploaded (or downloaded) so far
 * @param sizeBytes the object's size once known (completed)
 * @param sha256 hex SHA-256 of the object once completed
 * @param startedAtMillis epoch millis; {@code finishedAtMillis} null while running
 */
public record BackupProgress(
    String backupId,
    BackupMethod method,
    State state,
    String location,
    long bytesTransferred,
    Long sizeBytes,
    String sha256,
    long startedAtMillis,
    Long finishedAtMillis,
    String error) {

  public enum State {
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("completed")
    COMPLETED,
    @JsonProperty("failed")
    FAILED
  }

  public boolean finished() {
    return state != State.RUNNING;
  }
}
