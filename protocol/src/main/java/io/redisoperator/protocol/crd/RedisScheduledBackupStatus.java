package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;

/**
 * When the schedule last fired, when it fires next, what it created, and whether the schedule is
 * valid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisScheduledBackupStatus {
  @JsonPropertyDescription(
      "RFC 3339 time of the latest scheduled run (taken, or skipped while suspended).")
  private String lastScheduleTime;

  @JsonPropertyDescription("RFC 3339 time of the next run; absent while suspended or invalid.")
  private String nextScheduleTime;

  @JsonPropertyDescription("The RedisBackup the latest run created.")
  private String lastBackupName;

  @JsonPropertyDescription("The newest Completed RedisBackup of this schedule.")
  private String lastSuccessfulBackupName;

  @JsonPropertyDescription(
      "ScheduleValid: False with the reason and the field when spec.schedule or spec.timeZone is invalid.")
  private java.util.List<Condition> conditions = new ArrayList<>();

  public String getLastScheduleTime() {
    return lastScheduleTime;
  }

  public void setLastScheduleTime(String lastScheduleTime) {
    this.lastScheduleTime = lastScheduleTime;
  }

  public String getNextScheduleTime() {
    return nextScheduleTime;
  }

  public void setNextScheduleTime(String nextScheduleTime) {
    this.nextScheduleTime = nextScheduleTime;
  }

  public String getLastBackupName() {
    return lastBackupName;
  }

  public void setLastBackupName(String lastBackupName) {
    this.lastBackupName = lastBackupName;
  }

  public String getLastSuccessfulBackupName() {
    return lastSuccessfulBackupName;
  }

  public void setLastSuccessfulBackupName(String lastSuccessfulBackupName) {
    this.lastSuccessfulBackupName = lastSuccessfulBackupName;
  }

  public java.util.List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(java.util.List<Condition> conditions) {
    this.conditions = conditions;
  }
}
