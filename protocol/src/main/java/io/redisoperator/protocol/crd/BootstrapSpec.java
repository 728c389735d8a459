package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * How a new cluster gets its first dataset: restored from a backup into the first pod's data volume
 * before Redis starts. Exactly one of {@code backup} and {@code source}. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BootstrapSpec {
  @JsonPropertyDescription("A Completed RedisBackup of this namespace.")
  private BackupReference backup;

  @JsonPropertyDescription(
      "A backup object by location, read with this cluster's spec.backup.credentialsSecret.")
  private BackupObjectSource source;

  public BackupReference getBackup() {
    return backup;
  }

  public void setBackup(BackupReference backup) {
    this.backup = backup;
  }

  public BackupObjectSource getSource() {
    return source;
  }

  public void setSource(BackupObjectSource source) {
    this.source = source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BootstrapSpec other
        && Objects.equals(backup, other.backup)
        && Objects.equals(source, other.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(backup, source);
  }
}
