package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Machine-readable reasons for condition changes (CamelCase, as Kubernetes expects). */
public enum ConditionReason {
  @JsonProperty("ClusterReady")
  CLUSTER_READY,
  @JsonProperty("InvalidSpec")
  INVALID_SPEC,
  @JsonProperty("InstancesNotReady")
  INSTANCES_NOT_READY,
  @JsonProperty("Creating")
  CREATING,
  @JsonProperty("PrimaryServing")
  PRIMARY_SERVING,
  @JsonProperty("PrimaryUnavailable")
  PRIMARY_UNAVAILABLE,
  @JsonProperty("NoPrimary")
  NO_PRIMARY,
  @JsonProperty("FailingOver")
  FAILING_OVER,
  @JsonProperty("ReplicasInSync")
  REPLICAS_IN_SYNC,
  @JsonProperty("ReplicasLagging")
  REPLICAS_LAGGING,
  @JsonProperty("ReplicaLinkDown")
  REPLICA_LINK_DOWN,
  @JsonProperty("NoReplicas")
  NO_REPLICAS,
  @JsonProperty("Hibernating")
  HIBERNATING,
  @JsonProperty("Updating")
  UPDATING,
  @JsonProperty("SwitchedOver")
  SWITCHED_OVER,
  @JsonProperty("SwitchoverAbandoned")
  SWITCHOVER_ABANDONED,
  @JsonProperty("ScheduleParsed")
  SCHEDULE_PARSED,
  @JsonProperty("InvalidSchedule")
  INVALID_SCHEDULE,
  @JsonProperty("InvalidTimeZone")
  INVALID_TIME_ZONE,
  /** Every sentinel reports the recorded primary. */
  @JsonProperty("SentinelsFollowPrimary")
  SENTINELS_FOLLOW_PRIMARY,
  /** A majority reports the recorded primary, some sentinel does not (yet). */
  @JsonProperty("SentinelsLagging")
  SENTINELS_LAGGING,
  /** The sentinels are being created and no majority is ready yet. */
  @JsonProperty("SentinelsStarting")
  SENTINELS_STARTING,
  /** Fewer than a majority of the sentinels report the recorded primary. */
  @JsonProperty("SentinelQuorumLost")
  SENTINEL_QUORUM_LOST,
  @JsonProperty("FencingAnnotationRead")
  FENCING_ANNOTATION_READ,
  @JsonProperty("FencingAnnotationUnreadable")
  FENCING_ANNOTATION_UNREADABLE,
  /** Every data pod has the current ACL users. */
  @JsonProperty("UsersInSync")
  USERS_IN_SYNC,
  /**
   * Some data pod has not applied the current ACL users yet (a rotation keeps the old password
   * meanwhile).
   */
  @JsonProperty("UsersApplying")
  USERS_APPLYING,
  /**
   * A Secret named by spec.authSecret or spec.users[].passwordSecret is missing or has no
   * 'password'.
   */
  @JsonProperty("UserSecretMissing")
  USER_SECRET_MISSING,
  /** Redis refused a user's rules; nothing of that change was applied. */
  @JsonProperty("AclRuleRefused")
  ACL_RULE_REFUSED,
  /** spec.tls.plaintextPort: Redis serves plaintext on that port beside TLS. */
  @JsonProperty("TlsMigration")
  TLS_MIGRATION,
  /** spec.tls.plaintextPort was removed; some data pod has not closed the port yet. */
  @JsonProperty("PlaintextClosing")
  PLAINTEXT_CLOSING,
  /** Redis serves TLS only. */
  @JsonProperty("TlsOnly")
  TLS_ONLY
}
