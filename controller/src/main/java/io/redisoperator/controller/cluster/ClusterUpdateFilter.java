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

  /** The actor wrote the cluster (status or annotations); the result has this resource version. */
  void wrote(String resourceVersion, Instant now) {
    awaitedVersion = resourceVersion;
    awaitedSince = now;
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
