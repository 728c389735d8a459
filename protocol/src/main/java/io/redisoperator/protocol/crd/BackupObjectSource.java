package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * A backup object named by its location, for a restore without its RedisBackup (another namespace
 * or cluster). The checksum, when absent, is read from the manifest the operator writes beside
 * every backup ({@code <key>.json}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupObjectSource {
  @Required
  @JsonPropertyDescription(
      "The store and bucket holding the object (its path is not used: key is the full key).")
  private ObjectStore store;

  @Required
  @JsonPropertyDescription(
      "Full object key of the backup, e.g. 'prod/redis/ns/cache/cache-backup-1.rdb'.")
  private String key;

  @JsonPropertyDescription("rdb or aof: how the object was taken. Default: read from the manifest.")
  private BackupMethod method;

  @JsonPropertyDescription("Expected SHA-256 (hex) of the object. Default: read from the manifest.")
  private String sha256;

  public ObjectStore getStore() {
    return store;
  }

  public void setStore(ObjectStore store) {
    this.store = store;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public BackupMethod getMethod() {
    return method;
  }

  public void setMethod(BackupMethod method) {
    this.method = method;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackupObjectSource other
        && Objects.equals(store, other.store)
        && Objects.equals(key, other.key)
        && method == other.method
        && Objects.equals(sha256, other.sha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(store, key, method, sha256);
  }
}
