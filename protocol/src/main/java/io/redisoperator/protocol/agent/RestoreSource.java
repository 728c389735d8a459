package io.redisoperator.protocol.agent;

import io.redisoperator.protocol.crd.BackupMethod;

/**
 * What the first pod of a cluster bootstrapped from a backup restores before Redis starts: the
 * controller writes it into the {@code <cluster>-restore} ConfigMap (key {@link
 * InstanceLayout#RESTORE_KEY}), projected at {@link InstanceLayout#RESTORE_DIR}.
 *
 * @param method null: read from the object's manifest
 * @param sha256 null: read from the object's manifest
 */
public record RestoreSource(ObjectLocation location, BackupMethod method, String sha256) {}
