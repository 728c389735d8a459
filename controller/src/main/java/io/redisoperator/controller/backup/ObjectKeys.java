package io.redisoperator.controller.backup;

import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.crd.BackupMethod;
import io.redisoperator.protocol.crd.ObjectStore;
import io.redisoperator.protocol.crd.RedisBackup;

/**
 * Pure: where a backup lives in its store, {@code
 * <path>/<namespace>/<cluster>/<backup>-<uid8>.<rdb|tar>}.
 */
public final class ObjectKeys {
  private ObjectKeys() {}

  public static String backupId(RedisBackup b) {
    String uid =
        b.getMetadata().getUid() == null ? "nouid" : b.getMetadata().getUid().replace("-", "");
    return b.getMetadata().getName() + "-" + uid.substring(0, Math.min(8, uid.length()));
  }

  public static String key(RedisBackup b) {
    String prefix = b.getSpec().getDestination().getPath();
    String normalized = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    return (normalized.isEmpty() ? "" : normalized + "/")
        + b.getMetadata().getNamespace()
        + "/"
        + b.getSpec().getCluster().getName()
        + "/"
        + backupId(b)
        + (b.getSpec().getMethod() == BackupMethod.AOF ? ".tar" : ".rdb");
  }

  public static ObjectLocation location(ObjectStore store, String key) {
    return new ObjectLocation(
        store.getEndpoint(),
        store.getRegion(),
        Boolean.TRUE.equals(store.getPathStyle()),
        store.getBucket(),
        key);
  }
}
