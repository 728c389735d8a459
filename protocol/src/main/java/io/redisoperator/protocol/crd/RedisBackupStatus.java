package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Progress and outcome of one backup. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisBackupStatus {
  private BackupPhase phase;
  private String instance;
  private String startedAt;
  private String stoppedAt;
  private String error;

  public BackupPhase getPhase() {
    return phase;
  }

  public void setPhase(BackupPhase phase) {
    this.phase = phase;
  }

  public String getInstance() {
    return instance;
  }

  public void setInstance(String instance) {
    this.instance = instance;
  }

  public String getStartedAt() {
    return startedAt;
  }

  public void setStartedAt(String startedAt) {
    this.startedAt = startedAt;
  }

  public String getStoppedAt() {
    return stoppedAt;
  }

  public void setStoppedAt(String stoppedAt) {
    this.stoppedAt = stoppedAt;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }
}
