package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The replication role of one instance, as its agent last reported it. */
public enum InstanceRole {
  @JsonProperty("primary")
  PRIMARY,
  @JsonProperty("replica")
  REPLICA,
  /** Also what a role this version does not know reads as (an agent a version ahead). */
  @JsonProperty("unknown")
  @JsonEnumDefaultValue
  UNKNOWN
}
