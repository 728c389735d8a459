package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens to a backup's object in the store when its RedisBackup is deleted. */
public enum BackupDeletionPolicy {
  /** The object stays in the store (default): deleting the Kubernetes object never loses data. */
  @JsonProperty("Retain")
  RETAIN,
  /**
   * The operator deletes the object (and its manifest) from the store before the RedisBackup goes
   * away.
   */
  @JsonProperty("Delete")
  DELETE
}
