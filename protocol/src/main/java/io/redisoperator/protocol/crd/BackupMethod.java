package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which persistence file a backup captures. */
public enum BackupMethod {
  /** A point-in-time RDB snapshot (BGSAVE). */
  @JsonProperty("rdb")
  RDB,
  /** The append-only file set (after BGREWRITEAOF). */
  @JsonProperty("aof")
  AOF
}
