package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The one-word summary of a RedisCluster shown by kubectl. */
public enum Phase {
  @JsonProperty("Creating")
  CREATING,
  @JsonProperty("Healthy")
  HEALTHY,
  @JsonProperty("Degraded")
  DEGRADED,
  @JsonProperty("FailingOver")
  FAILING_OVER,
  @JsonProperty("SwitchingOver")
  SWITCHING_OVER,
  @JsonProperty("Scaling")
  SCALING,
  @JsonProperty("Updating")
  UPDATING,
  @JsonProperty("WaitingForUser")
  WAITING_FOR_USER,
  @JsonProperty("Hibernating")
  HIBERNATING,
  @JsonProperty("Invalid")
  INVALID
}
