package io.redisoperator.controller.cluster;

import io.redisoperator.protocol.crd.RedisCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * Where in the resync interval a cluster's periodic pass falls. Every cluster actor starts at once
 * when the operator does; with the same first delay their resyncs would all fire together every
 * interval (1000 passes, and as many Secret and status reads, in the same instant). The phase is
 * derived from the cluster's uid, so it is spread evenly over the fleet, and the same for a cluster
 * across restarts of its actor.
 */
public final class ResyncPhase {
  private ResyncPhase() {}

  /** The delay before the first periodic resync: in {@code [interval, 2 * interval)}. */
  public static Duration firstDelay(String clusterKey, Duration interval) {
    return interval.plus(offset(clusterKey, interval));
  }

  /**
   * The first delay of a cluster's resync, keyed by its uid, or by {@code namespace/name} while the
   * cache has not shown it ({@code cluster} null) or it has no uid.
   */
  static Duration firstDelay(
      RedisCluster cluster, String namespace, String name, Duration interval) {
    String uid = cluster == null ? null : cluster.getMetadata().getUid();
    return firstDelay(uid != null ? uid : namespace + "/" + name, interval);
  }

  /** The cluster's offset in {@code [0, interval)}. */
  static Duration offset(String clusterKey, Duration interval) {
    long millis = interval.toMillis();
    if (millis <= 0) {
      return Duration.ZERO;
    }
    CRC32 crc = new CRC32();
    crc.update(clusterKey.getBytes(StandardCharsets.UTF_8));
    return Duration.ofMillis(crc.getValue() % millis);
  }
}
