package io.redisoperator.protocol.agent;

/**
 * One object in an S3 or S3-compatible store, as the agent addresses it. The credentials are never
 * part of it: the agent reads them from {@link InstanceLayout#BACKUP_CREDENTIALS_DIR}.
 *
 * @param endpoint null for AWS, else the store's URL
 * @param region null for {@code us-east-1}
 * @param pathStyle path-style addressing (most S3-compatible stores)
 */
public record ObjectLocation(
    String endpoint, String region, boolean pathStyle, String bucket, String key) {
  /** The key of the manifest written beside a completed backup object. */
  public String manifestKey() {
    return key + BackupManifest.SUFFIX;
  }

  /** {@code s3://bucket/key}, as status and logs show it. */
  public String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
