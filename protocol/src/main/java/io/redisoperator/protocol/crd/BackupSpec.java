package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** The cluster's side of backups and restores: the object-store credentials its pods get. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupSpec {
  @Required
  @JsonPropertyDescription(
      "Secret with keys 'accessKeyId' and 'secretAccessKey' for the object store. It is projected into the data pods"
          + " as files (never env or arguments) and a rotation is used from the next transfer on.")
  private SecretReference credentialsSecret;

  public BackupSpec() {}

  public BackupSpec(SecretReference credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  public SecretReference getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(SecretReference credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackupSpec other
        && Objects.equals(credentialsSecret, other.credentialsSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(credentialsSecret);
  }
}
