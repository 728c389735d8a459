package io.redisoperator.controller.backup;

import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.crd.BackupMethod;
import io.redisoperator.protocol.crd.RedisBackup;

/**
 * Pure: an admitted backup's start: the pod that takes it, the object it writes and what its agent
 * is asked.
 */
public record BackupStart(String pod, String podIp, String backupId, ObjectLocation location) {

  public static BackupStart of(RedisBackup b, BackupTargetPicker.Choice choice) {
    return new BackupStart(
        choice.pod(),
        choice.podIp(),
        ObjectKeys.backupId(b),
        ObjectKeys.location(b.getSpec().getDestination(), ObjectKeys.key(b)));
  }

  public BackupRequest request(RedisBackup b) {
    return new BackupRequest(backupId, method(b), location);
  }

  /** The backup's method, RDB when the spec names none. */
  public static BackupMethod method(RedisBackup b) {
    return b.getSpec().getMethod() == null ? BackupMethod.RDB : b.getSpec().getMethod();
  }
}
