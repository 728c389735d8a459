package io.redisoperator.agent.fencing;

import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.ReplicaInfo;
import io.redisoperator.protocol.agent.SelfFencing;

/** Pure decisions of self-fencing ({@link SelfFencing} has the timing contract). */
public final class SelfFencingPolicy {
  private SelfFencingPolicy() {}

  /**
   * A writable primary that has heard from nobody for longer than the isolation bound must fence
   * itself.
   */
  public static boolean mustSelfFence(
      boolean primary, boolean writable, long nowMillis, long lastContactMillis) {
    return primary && writable && nowMillis - lastContactMillis > SelfFencing.ISOLATION_MILLIS;
  }

  /**
   * The earliest moment an online replica can have acknowledged this primary, according to an INFO
   * sent at {@code infoIssuedMillis}: Redis truncates the ACK age ({@code lag}) to whole seconds,
   * so an age of {@code n} may be up to {@code n + 1} s. Never later than the real ACK, so it may
   * date contact for the self-fence. 0 when no replica is online. (The heartbeat, {@link
   * IsolationPause}, dates contact to the millisecond while it runs.)
   */
  public static long earliestReplicaContact(RedisInfo info, long infoIssuedMillis) {
    long best = 0;
    for (ReplicaInfo r : info.replicas()) {
      if ("online".equals(r.state()) && r.lagSeconds() >= 0) {
        best = Math.max(best, infoIssuedMillis - (r.lagSeconds() + 1) * 1000);
      }
    }
    return best;
  }

  /**
   * A self-fence is lifted only when the API server says this pod is still the primary, nobody
   * fenced it and the controller is not trying to reach it in vain.
   */
  public static boolean mayLiftSelfFence(ClusterView view, String podName) {
    return podName.equals(view.currentPrimary()) && view.vouchesFor(podName);
  }

  /** The API server names another primary: this one must not take writes, whatever it believes. */
  public static boolean anotherPrimaryDesignated(ClusterView view, String podName) {
    return view.currentPrimary() != null && !podName.equals(view.currentPrimary());
  }
}
