package io.redisoperator.controller.backup;

import io.redisoperator.protocol.crd.BackupDeletionPolicy;
import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.RedisBackup;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: what a RedisBackup needs next, from its metadata and phase alone. A deleted backup with the
 * operator's finalizer has its object deleted, then the finalizer released; a {@code Delete}-policy
 * backup gets the finalizer before anything else; a new or Pending backup is admitted; a Running
 * one is followed when the actor polls.
 */
public final class BackupLifecycle {
  public static final String FINALIZER = "redis.io/backup-object";

  public enum Next {
    /** Delete its object from the store, then release the finalizer. */
    DELETE_OBJECT,
    ADD_FINALIZER,
    ADMIT,
    FOLLOW,
    NOTHING
  }

  private BackupLifecycle() {}

  /**
   * @param poll whether this look is the actor's poll (Running backups' agents are asked then)
   */
  public static Next next(RedisBackup b, boolean poll) {
    boolean hasFinalizer = finalizers(b).contains(FINALIZER);
    if (b.getMetadata().getDeletionTimestamp() != null) {
      return hasFinalizer ? Next.DELETE_OBJECT : Next.NOTHING;
    }
    if (b.getSpec().getDeletionPolicy() == BackupDeletionPolicy.DELETE && !hasFinalizer) {
      return Next.ADD_FINALIZER;
    }
    BackupPhase phase = BackupAdmission.phase(b);
    if (phase == null || phase == BackupPhase.PENDING) {
      return Next.ADMIT;
    }
    return phase == BackupPhase.RUNNING && poll ? Next.FOLLOW : Next.NOTHING;
  }

  /** The backup's finalizers with the operator's added. */
  public static List<String> withFinalizer(RedisBackup b) {
    List<String> finalizers = new ArrayList<>(finalizers(b));
    finalizers.add(FINALIZER);
    return finalizers;
  }

  /** The backup's finalizers without the operator's. */
  public static List<String> withoutFinalizer(RedisBackup b) {
    List<String> finalizers = new ArrayList<>(finalizers(b));
    finalizers.remove(FINALIZER);
    return finalizers;
  }

  private static List<String> finalizers(RedisBackup b) {
    return b.getMetadata().getFinalizers() == null ? List.of() : b.getMetadata().getFinalizers();
  }
}
