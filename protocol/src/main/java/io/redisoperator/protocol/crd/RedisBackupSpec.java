package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Which cluster to back up, how, and where to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisBackupSpec {
  @Required
  @JsonPropertyDescription("The RedisCluster to back up. It needs spec.backup.credentialsSecret.")
  private ClusterReference cluster;

  @JsonPropertyDescription(
      "rdb (default: a BGSAVE snapshot) or aof (the multi-part AOF directory as a tar archive).")
  private BackupMethod method = BackupMethod.RDB;

  @JsonPropertyDescription("prefer-replica (default) or primary: which data pod takes the backup.")
  private BackupTarget target = BackupTarget.PREFER_REPLICA;

  @Required
  @JsonPropertyDescription(
      "The S3 or S3-compatible bucket and key prefix the backup is written to.")
  private ObjectStore destination;

  @JsonPropertyDescription(
      "Retain (default): deleting this RedisBackup leaves the object in the store. Delete: the operator deletes the"
          + " object and its manifest first (a finalizer holds the RedisBackup until it has).")
  private BackupDeletionPolicy deletionPolicy = BackupDeletionPolicy.RETAIN;

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
}
