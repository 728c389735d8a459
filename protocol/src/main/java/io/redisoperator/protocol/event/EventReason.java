package io.redisoperator.protocol.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every reason an operator Event can carry, with its type: a Warning asks a human to look, a Normal
 * records what was done. The wire form ({@link #reason()}) is what {@code kubectl get events} shows
 * and alerts or scripts match on, so a constant's string never changes once released.
 */
public enum EventReason {
  // The cluster's pods and volumes coming and going.
  CREATED_POD("CreatedPod", false),
  DELETED_POD("DeletedPod", false),
  CREATED_VOLUME_CLAIM("CreatedPersistentVolumeClaim", false),
  DELETED_VOLUME_CLAIM("DeletedPersistentVolumeClaim", false),

  // Decisions recorded in status (who is primary, who is fenced).
  PRIMARY_RECORDED("PrimaryRecorded", false),
  FENCED("Fenced", false),
  FENCE_CLEARED("FenceCleared", false),
  FAILOVER_TARGET("FailoverTarget", false),
  FAILED_OVER("FailedOver", false),
  FAILOVER_ABANDONED("FailoverAbandoned", true),
  SWITCHOVER_STARTED("SwitchoverStarted", false),
  SWITCHED_OVER("SwitchedOver", false),
  SWITCHOVER_FAILED("SwitchoverFailed", true),
  SWITCHOVER_REFUSED("SwitchoverRefused", true),
  SWITCHOVER_ABANDONED("SwitchoverAbandoned", true),
  NODE_DRAIN_BLOCKED("NodeDrainBlocked", true),

  // The spec and the annotations users write.
  INVALID_SPEC("InvalidSpec", true),
  FENCING_ANNOTATION_UNREADABLE("FencingAnnotationUnreadable", true),

  // ACL users (spec.users, the auth Secret): nothing of the change was applied.
  USER_SECRET_MISSING("UserSecretMissing", true),
  ACL_RULE_REFUSED("AclRuleRefused", true),

  // Sentinel mode.
  SENTINEL_QUORUM_LOST("SentinelQuorumLost", true),
  SENTINEL_QUORUM_RESTORED("SentinelQuorumRestored", false),

  // Backups, schedules and restores.
  BACKUP_STARTED("BackupStarted", false),
  BACKUP_COMPLETED("BackupCompleted", false),
  BACKUP_FAILED("BackupFailed", true),
  BACKUP_OBJECT_NOT_DELETED("BackupObjectNotDeleted", true),
  BACKUP_SCHEDULED("BackupScheduled", false),
  BACKUP_PRUNED("BackupPruned", false),
  INVALID_RETENTION("InvalidRetention", true),
  BOOTSTRAP_WAITING("BootstrapWaiting", true),
  BOOTSTRAP_SOURCE_READY("BootstrapSourceReady", false),
  RESTORED("Restored", false),
  RESTORE_FAILED("RestoreFailed", true);

  private final String reason;
  private final boolean warning;

  EventReason(String reason, boolean warning) {
    this.reason = reason;
    this.warning = warning;
  }

  /** The Event's {@code reason} field. */
  public String reason() {
    return reason;
  }

  /** True for type Warning, false for Normal. */
  public boolean warning() {
    return warning;
  }

  /** The Event's {@code type} field. */
  public String type() {
    return warning ? "Warning" : "Normal";
  }

  /** The constant whose wire form is {@code reason}, if any. */
  public static Optional<EventReason> of(String reason) {
    return Arrays.stream(values()).filter(r -> r.reason.equals(reason)).findFirst();
  }

  @Override
  public String toString() {
    return reason;
  }
}
