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
   * The outcome of the last planned switchover: True once the target took over, False when it was
   * abandoned (the message names why). Absent until the first switchover.
   */
  @JsonProperty("SwitchoverSucceeded")
  SWITCHOVER_SUCCEEDED,
  /**
   * RedisScheduledBackup: the cron expression and time zone parse (False: the message names the
   * field).
   */
  @JsonProperty("ScheduleValid")
  SCHEDULE_VALID,
  /**
   * Sentinel mode only: True while a majority of the sentinels (2 of 3) are ready, i.e. answer and
   * report the recorded primary; the message names those that do not. Absent in standalone mode.
   */
  @JsonProperty("SentinelQuorum")
  SENTINEL_QUORUM,
  /**
   * Whether the human fencing annotation could be read: False names what was ignored. Absent until
   * the annotation is first set.
   */
  @JsonProperty("FencingAnnotationValid")
  FENCING_ANNOTATION_VALID,
  /**
   * True once every data pod applied the current ACL users (spec.users, the operator's users,
   * default); False while they are being applied or a password rotation waits for a pod, or when a
   * user's Secret is missing or Redis refused a rule (the message names the user; nothing of that
   * change is applied).
   */
  @JsonProperty("UsersApplied")
  USERS_APPLIED,
  /**
   * With spec.tls: True while Redis also serves plaintext (the migration mode,
   * spec.tls.plaintextPort, and after it is removed until every data pod has closed the port),
   * False once it serves TLS only. Absent without spec.tls.
   */
  @JsonProperty("PlaintextServed")
  PLAINTEXT_SERVED
}
