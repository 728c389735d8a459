package io.redisoperator.protocol.agent;

import io.redisoperator.protocol.crd.BackupMethod;

/**
 * Body of {@code POST /v1/backup}: take one backup and stream it to {@code location}. The agent
 * answers 202 at once (the transfer goes on in the background; {@code GET /v1/backup} and {@code
 * /v1/status} report its progress), 409 while another backup runs.
 *
 * @param backupId chosen by the controller (unique per RedisBackup), echoed in every progress
 *     report
 */
public record BackupRequest(String backupId, BackupMethod method, ObjectLocation location) {}
