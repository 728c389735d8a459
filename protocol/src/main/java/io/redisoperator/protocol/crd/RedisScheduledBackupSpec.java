package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** When to back up which cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisScheduledBackupSpec {
  @Required
  @JsonPropertyDescription("The RedisCluster to back up.")
  private ClusterReference cluster;

  @Required
  @JsonPropertyDescription("Standard five-field cron expression, e.g. '0 3 * * *'.")
  private String schedule;

  @JsonPropertyDescription("rdb (default) or aof.")
  private BackupMethod method = BackupMethod.RDB;

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

  public BackupMethod getMethod() {
    return method;
  }

  public void setMethod(BackupMethod method) {
    this.method = method;
  }
}
