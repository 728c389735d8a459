package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;

/** When the schedule last fired, when it fires next, what it created, and whether the schedule is valid. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisScheduledBackupStatus {
  private String lastScheduleTime;
  private String nextScheduleTime;
  private String lastBackupName;
  private String lastSuccessfulBackupName;
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
