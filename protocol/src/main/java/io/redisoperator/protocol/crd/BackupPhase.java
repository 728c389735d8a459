package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lifecycle of one backup. */
public enum BackupPhase {
  @JsonProperty("Pending")
  PENDING,
  @JsonProperty("Running")
  RUNNING,
  @JsonProperty("Completed")
  COMPLETED,
  @JsonProperty("Failed")
  FAILED
}
