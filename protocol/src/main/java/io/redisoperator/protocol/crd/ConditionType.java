package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The conditions a RedisCluster reports. */
public enum ConditionType {
  /** Every instance is ready, a primary serves writes and the spec is valid. */
  @JsonProperty("Ready")
  READY,
  /** The primary named in status answers and accepts writes. */
  @JsonProperty("PrimaryAvailable")
  PRIMARY_AVAILABLE,
  /** Every replica is linked to the primary with acceptable lag. */
  @JsonProperty("ReplicationHealthy")
  REPLICATION_HEALTHY,
  /**
   * The outcome of the last planned switchover: True once the target took over, False when it was abandoned (the
   * message names why). Absent until the first switchover.
   */
  @JsonProperty("SwitchoverSucceeded")
  SWITCHOVER_SUCCEEDED,
  /**
   * Whether the human fencing annotation could be read: False names what was ignored. Absent until the annotation is
   * first set.
   */
  @JsonProperty("FencingAnnotationValid")
  FENCING_ANNOTATION_VALID
}
