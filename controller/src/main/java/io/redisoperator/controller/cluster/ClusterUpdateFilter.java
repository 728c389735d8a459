package io.redisoperator.controller.cluster;

import io.redisoperator.protocol.crd.RedisCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Judges each version of the cluster the informer delivers: a version from before the actor's own
 * write (the cache lags behind it) is ignored until the write's echo arrives or a few seconds pass,
 * and only a change by someone else is a reason for a pass (the actor's own status writes are not).
 */
final class ClusterUpdateFilter {
  static final Duration ECHO_WAIT = Duration.ofSeconds(5);

  /**
   * @param take the version replaces the one the actor holds
   * @param userChange spec, annotations, labels or deletion changed
   * @param reconcile the change is worth a pass
   */
  record Verdict(boolean take, boolean userChange, boolean reconcile) {}

  private String awaitedVersion;
  private Instant awaitedSince;

  /**
   * The actor's own write of the cluster (status or annotations), based on the version {@code
   * baseVersion}, returned {@code written}. Returns the version the actor should hold: the written
   * one, whose echo is then no news; or, when the actor took another version while the write was in
   * flight ({@code held} is no longer the base), the one it holds: the write succeeded, so that
   * version is its echo or a later change, which the written one must not replace (a user's edit
   * made right after the write would be lost until the next change).
   */
  RedisCluster ownWrite(RedisCluster held, String baseVersion, RedisCluster written, Instant now) {
    if (!Objects.equals(held.getMetadata().getResourceVersion(), baseVersion)) {
      return held;
    }
    awaitedVersion = written.getMetadata().getResourceVersion();
    awaitedSince = now;
    return written;
  }

  Verdict judge(RedisCluster current, RedisCluster next, Instant now) {
    boolean userChange = changedByUser(current, next);
    if (awaitedVersion != null) {
      boolean echo = awaitedVersion.equals(next.getMetadata().getResourceVersion());
      boolean expired = awaitedSince.plus(ECHO_WAIT).isBefore(now);
      if (echo || expired) {
        awaitedVersion = null;
      } else if (!userChange) {
        // A version from before our own write: taking it would make us redo that write.
        return new Verdict(false, false, false);
      }
    }
    boolean statusChangedBySomeoneElse = !Objects.equals(current.getStatus(), next.getStatus());
    return new Verdict(true, userChange, userChange || statusChangedBySomeoneElse);
  }

  /** Spec, annotations, labels or deletion changed: reasons to work. */
  static boolean changedByUser(RedisCluster current, RedisCluster next) {
    return !Objects.equals(
            current.getMetadata().getGeneration(), next.getMetadata().getGeneration())
        || !Objects.equals(
            current.getMetadata().getAnnotations(), next.getMetadata().getAnnotations())
        || !Objects.equals(current.getMetadata().getLabels(), next.getMetadata().getLabels())
        || !Objects.equals(
            current.getMetadata().getDeletionTimestamp(),
            next.getMetadata().getDeletionTimestamp());
  }
}
