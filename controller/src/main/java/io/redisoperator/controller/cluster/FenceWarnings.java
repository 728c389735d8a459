package io.redisoperator.controller.cluster;

import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When the actor first saw each pod of status.fencedInstances or unreachableInstances: never
 * earlier than the write, which the promotion gate relies on (a primary that still reads the API
 * server stops counting those reads as contact within a bounded time of it).
 */
final class FenceWarnings {
  private final Map<String, Instant> since = new HashMap<>();

  /** Dates the records new in {@code status} by {@code now} and forgets the ones it dropped. */
  void note(RedisClusterStatus status, Instant now) {
    Set<String> warned = new HashSet<>();
    if (status != null) {
      Optional.ofNullable(status.getFencedInstances()).ifPresent(warned::addAll);
      Optional.ofNullable(status.getUnreachableInstances()).ifPresent(warned::addAll);
    }
    since.keySet().retainAll(warned);
    warned.forEach(pod -> since.putIfAbsent(pod, now));
  }

  /** A read-only view: pod name to the first moment this actor saw it warned. */
  Map<String, Instant> since() {
    return Collections.unmodifiableMap(since);
  }
}
