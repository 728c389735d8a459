package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which data pod takes a backup. Sentinel pods hold no data and are never chosen. */
public enum BackupTarget {
  /**
   * A healthy, in-sync replica when there is one (the primary's latency is untouched), else the
   * primary.
   */
  @JsonProperty("prefer-replica")
  PREFER_REPLICA,
  /** Always the current primary: the most recent data, at the cost of a fork on the primary. */
  @JsonProperty("primary")
  PRIMARY
}
