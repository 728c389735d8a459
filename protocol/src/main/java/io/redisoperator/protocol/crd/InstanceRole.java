package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The replication role of one instance, as its agent last reported it. */
public enum InstanceRole {
  @JsonProperty("primary")
  PRIMARY,
  @JsonProperty("replica")
  REPLICA,
  @JsonProperty("unknown")
  UNKNOWN
}
