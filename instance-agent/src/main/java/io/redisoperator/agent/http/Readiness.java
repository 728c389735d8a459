package io.redisoperator.agent.http;

import io.redisoperator.agent.redis.RedisInfo;
import java.util.Optional;

/**
 * Whether a data pod should receive Service traffic ({@code /readyz}). A primary is ready while
 * Redis answers. A replica is ready while its data is recent: linked to its primary and heard from
 * within {@code maxLagSeconds}, or with its link down for no longer than that. The last case
 * matters at failover: the replicas' links drop the moment the primary dies, and a replica that
 * left its Services then would come back only at its next probe after being promoted, adding up to
 * a probe period to the write gap; its data is no staler than a lagging linked replica's.
 */
final class Readiness {
  private Readiness() {}

  /** Empty when ready; otherwise why not. */
  static Optional<String> notReadyReason(RedisInfo info, long maxLagSeconds) {
    return notReadyReason(info, maxLagSeconds, null);
  }

  /**
   * As {@link #notReadyReason(RedisInfo, long)}, and not before the agent's first ACL pass since it
   * started: a new volume's Redis starts with only the operator's users, and clients must not be
   * routed to it before theirs exist. A refused generation still counts as a pass (the pod keeps
   * the users it had; the condition names the rule).
   *
   * @param acl null: no ACL status to wait for
   */
  static Optional<String> notReadyReason(
      RedisInfo info, long maxLagSeconds, io.redisoperator.protocol.acl.AclStatus acl) {
    if (info == null) {
      return Optional.of("Redis is not answering");
    }
    if (acl != null && acl.appliedGeneration() < 0 && acl.rejected() == null) {
      return Optional.of("ACL users not applied yet");
    }
    switch (info.role()) {
      case PRIMARY:
        return Optional.empty();
      case REPLICA:
        if ("1".equals(info.get("master_sync_in_progress"))) {
          return Optional.of("initial sync in progress");
        }
        if (!Boolean.TRUE.equals(info.masterLinkUp())) {
          Long downFor = parse(info.get("master_link_down_since_seconds"));
          // -1 or absent: never linked since this Redis started, so it holds nothing from this
          // primary yet.
          if (downFor == null || downFor < 0) {
            return Optional.of("replication link to the primary is down (never linked)");
          }
          if (downFor > maxLagSeconds) {
            return Optional.of("replication link to the primary is down for " + downFor + " s");
          }
          return Optional.empty();
        }
        Long io = info.masterLastIoSecondsAgo();
        if (io == null || io > maxLagSeconds) {
          return Optional.of("primary last heard " + io + " s ago");
        }
        return Optional.empty();
      default:
        return Optional.of("role unknown");
    }
  }

  private static Long parse(String value) {
    try {
      return value == null ? null : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
