package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** When the schedule last fired and what it created. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisScheduledBackupStatus {
  private String lastScheduleTime;
  private String lastBackupName;

  public String getLastScheduleTime() {
    return lastScheduleTime;
  }

  public void setLastScheduleTime(String lastScheduleTime) {
    this.lastScheduleTime = lastScheduleTime;
  }

  public String getLastBackupName() {
    return lastBackupName;
  }

  public void setLastBackupName(String lastBackupName) {
    this.lastBackupName = lastBackupName;
  }
}
