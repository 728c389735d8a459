package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kubernetes condition status values. */
public enum ConditionStatus {
  @JsonProperty("True")
  TRUE,
  @JsonProperty("False")
  FALSE,
  @JsonProperty("Unknown")
  UNKNOWN;

  public static ConditionStatus of(boolean value) {
    return value ? TRUE : FALSE;
  }
}
