package io.redisoperator.protocol.agent;

import io.redisoperator.protocol.crd.BackupMethod;

/**
 * The small JSON object written beside a backup object ({@code <key>.json}) once the backup object
 * is complete: a backup object without its manifest is not a completed backup. A restore by
 * location reads the checksum from it.
 */
public record BackupManifest(
    String backupId,
    BackupMethod method,
    long sizeBytes,
    String sha256,
    String redisVersion,
    String createdAt,
    String pod) {
  public static final String SUFFIX = ".json";
}
