package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the operator may replace the primary during a rolling update on its own. */
public enum PrimaryUpdateStrategy {
  /** Switch over and update the primary as soon as the replicas are done. */
  @JsonProperty("unsupervised")
  UNSUPERVISED,
  /** Stop in phase WaitingForUser until the approval annotation is set. */
  @JsonProperty("supervised")
  SUPERVISED
}
