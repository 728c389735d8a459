package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the data pods are arranged. */
public enum Mode {
  /** A primary and replicas with native Redis replication, failover driven by the operator. */
  @JsonProperty("standalone")
  STANDALONE,
  /**
   * As standalone, plus dedicated Redis Sentinel pods for clients that discover the primary through
   * Sentinel.
   */
  @JsonProperty("sentinel")
  SENTINEL,
  /** Redis Cluster (sharding): reserved, rejected by validation until implemented. */
  @JsonProperty("cluster")
  CLUSTER
}
