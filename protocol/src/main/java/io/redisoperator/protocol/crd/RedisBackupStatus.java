package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Progress and outcome of one backup. Written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisBackupStatus {
  @JsonPropertyDescription("Pending, Running, Completed or Failed.")
  private BackupPhase phase;

  @JsonPropertyDescription("The pod that took (or takes) the backup.")
  private String instance;

  @JsonPropertyDescription("RFC 3339 time the transfer started.")
  private String startedAt;

  @JsonPropertyDescription("RFC 3339 time the backup ended Completed or Failed.")
  private String stoppedAt;

  @JsonPropertyDescription("Size of the stored object in bytes.")
  private Long sizeBytes;

  @JsonPropertyDescription("s3://<bucket>/<key> of the stored object.")
  private String location;

  @JsonPropertyDescription("Object key inside the destination bucket.")
  private String objectKey;

  @JsonPropertyDescription("SHA-256 (hex) of the stored object, verified on restore.")
  private String sha256;

  @JsonPropertyDescription(
      "Identifies the transfer on the agent, so a restarted operator can find it again.")
  private String backupId;

  @JsonPropertyDescription("Why the backup failed, or what it waits for while Pending.")
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

  public Long getSizeBytes() {
    return sizeBytes;
  }

  public void setSizeBytes(Long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getObjectKey() {
    return objectKey;
  }

  public void setObjectKey(String objectKey) {
    this.objectKey = objectKey;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  public String getBackupId() {
    return backupId;
  }

  public void setBackupId(String backupId) {
    this.backupId = backupId;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }
}
