package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** When to back up which cluster, where to, and how many backups to keep. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisScheduledBackupSpec {
  public static final int DEFAULT_SUCCESSFUL_HISTORY = 3;
  public static final int DEFAULT_FAILED_HISTORY = 1;

  @Required
  @JsonPropertyDescription("The RedisCluster to back up.")
  private ClusterReference cluster;

  @Required
  @JsonPropertyDescription(
      "Standard five-field cron expression (minute hour day-of-month month day-of-week), e.g. '0 3 * * *'.")
  private String schedule;

  @JsonPropertyDescription(
      "IANA time zone the schedule is read in, e.g. 'Europe/Paris' (default UTC).")
  private String timeZone;

  @JsonPropertyDescription(
      "true: create no backups until set back to false (missed runs are not caught up).")
  private Boolean suspend;

  @JsonPropertyDescription(
      "true: take one backup as soon as the schedule is created, besides the scheduled ones.")
  private Boolean immediate;

  @JsonPropertyDescription("rdb (default) or aof.")
  private BackupMethod method = BackupMethod.RDB;

  @JsonPropertyDescription("prefer-replica (default) or primary.")
  private BackupTarget target = BackupTarget.PREFER_REPLICA;

  @Required
  @JsonPropertyDescription("Where the backups are written (see RedisBackup spec.destination).")
  private ObjectStore destination;

  @JsonPropertyDescription("deletionPolicy of the RedisBackups created (Retain by default).")
  private BackupDeletionPolicy deletionPolicy = BackupDeletionPolicy.RETAIN;

  @Min(0)
  @JsonPropertyDescription(
      "How many Completed RedisBackups of this schedule to keep (default 3); older ones are deleted.")
  private Integer successfulBackupsHistoryLimit;

  @Min(0)
  @JsonPropertyDescription("How many Failed RedisBackups of this schedule to keep (default 1).")
  private Integer failedBackupsHistoryLimit;

  @Pattern("^([0-9]+(s|m|h|d))+$")
  @JsonPropertyDescription(
      "Age after which a Completed backup of this schedule is deleted together with its object in the store, e.g."
          + " '7d' or '36h'. Default: none (only the history limits apply, and they leave objects in the store"
          + " unless deletionPolicy is Delete).")
  private String retention;

  public ClusterReference getCluster() {
    return cluster;
  }

  public void setCluster(ClusterReference cluster) {
    this.cluster = cluster;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public Boolean getImmediate() {
    return immediate;
  }

  public void setImmediate(Boolean immediate) {
    this.immediate = immediate;
  }

  public BackupMethod getMethod() {
    return method;
  }

  public void setMethod(BackupMethod method) {
    this.method = method;
  }

  public BackupTarget getTarget() {
    return target;
  }

  public void setTarget(BackupTarget target) {
    this.target = target;
  }

  public ObjectStore getDestination() {
    return destination;
  }

  public void setDestination(ObjectStore destination) {
    this.destination = destination;
  }

  public BackupDeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(BackupDeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public Integer getSuccessfulBackupsHistoryLimit() {
    return successfulBackupsHistoryLimit;
  }

  public void setSuccessfulBackupsHistoryLimit(Integer successfulBackupsHistoryLimit) {
    this.successfulBackupsHistoryLimit = successfulBackupsHistoryLimit;
  }

  public Integer getFailedBackupsHistoryLimit() {
    return failedBackupsHistoryLimit;
  }

  public void setFailedBackupsHistoryLimit(Integer failedBackupsHistoryLimit) {
    this.failedBackupsHistoryLimit = failedBackupsHistoryLimit;
  }

  public String getRetention() {
    return retention;
  }

  public void setRetention(String retention) {
    this.retention = retention;
  }
}
