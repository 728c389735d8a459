package io.redisoperator.agent.fencing;

import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.ReplicaInfo;
import io.redisoperator.protocol.agent.SelfFencing;
import java.util.OptionalLong;

/** Pure decisions of self-fencing ({@link SelfFencing} has the timing contract). */
public final class SelfFencingPolicy {
  /** A replica whose last ACK is older than this (Redis reports whole seconds) is not evidence of contact. */
  static final long MAX_REPLICA_LAG_SECONDS = 1;

  private SelfFencingPolicy() {}

  /** A writable primary that has heard from nobody for longer than the isolation bound must fence itself. */
  public static boolean mustSelfFence(boolean primary, boolean writable, long nowMillis, long lastContactMillis) {
    return primary && writable && nowMillis - lastContactMillis > SelfFencing.ISOLATION_MILLIS;
  }

  /**
   * When a replica last acknowledged this primary, according to an INFO taken at {@code infoMillis}: replicas send
   * REPLCONF ACK every second and INFO shows its age ({@code lag}) in whole seconds.
   */
  public static OptionalLong lastReplicaContact(RedisInfo info, long infoMillis) {
    long best = Long.MIN_VALUE;
    for (ReplicaInfo r : info.replicas()) {
      if ("online".equals(r.state()) && r.lagSeconds() >= 0 && r.lagSeconds() <= MAX_REPLICA_LAG_SECONDS) {
        best = Math.max(best, infoMillis - r.lagSeconds() * 1000);
      }
    }
    return best == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
  }

  /**
   * A self-fence is lifted only when the API server says this pod is still the primary, nobody fenced it and the
   * controller is not trying to reach it in vain.
   */
  public static boolean mayLiftSelfFence(ClusterView view, String podName) {
    return podName.equals(view.currentPrimary()) && view.vouchesFor(podName);
  }

  /** The API server names another primary: this one must not take writes, whatever it believes. */
  public static boolean anotherPrimaryDesignated(ClusterView view, String podName) {
    return view.currentPrimary() != null && !podName.equals(view.currentPrimary());
  }
}
