package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A RedisBackup in the same namespace. */
public class BackupReference {
  @Required
  @JsonPropertyDescription("Name of a Completed RedisBackup.")
  private String name;

  public BackupReference() {}

  public BackupReference(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackupReference other && Objects.equals(name, other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(name);
  }
}
