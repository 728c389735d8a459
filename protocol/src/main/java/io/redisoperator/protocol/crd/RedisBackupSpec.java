package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Which cluster to back up and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisBackupSpec {
  @Required
  @JsonPropertyDescription("The RedisCluster to back up.")
  private ClusterReference cluster;

  @JsonPropertyDescription("rdb (default) or aof.")
  private BackupMethod method = BackupMethod.RDB;

  public ClusterReference getCluster() {
    return cluster;
  }

  public void setCluster(ClusterReference cluster) {
    this.cluster = cluster;
  }

  public BackupMethod getMethod() {
    return method;
  }

  public void setMethod(BackupMethod method) {
    this.method = method;
  }
}
