package io.redisoperator.agent.fencing;

import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.ReplicaInfo;
import io.redisoperator.protocol.agent.SelfFencing;

/** Pure decisions of self-fencing ({@link SelfFencing} has the timing contract). */
public final class SelfFencingPolicy {
  private SelfFencingPolicy() {}

  /** Minimum spacing of API reads made for self-fencing and boot resolution. */
  public static final long PROBE_INTERVAL_MILLIS = 500;

  /**
   * A primary the controller polled this recently needs no API read to stay writable: that contact
   * holds off self-fencing, and a controller that reaches the agent fences or demotes it directly.
   * Shorter than the isolation bound by more than a probe interval, so that when the polls stop,
   * probing resumes in time to find the API server.
   */
  public static final long CONTROLLER_CONTACT_FRESH_MILLIS =
      SelfFencing.ISOLATION_MILLIS - 2 * PROBE_INTERVAL_MILLIS;

  /**
   * How long a new primary ignores an API server that still records another primary: the controller
   * writes currentPrimary right after a promotion or switchover, and must not race this agent.
   */
  public static final long RECORD_CATCH_UP_MILLIS = 5000;

  /** A replica acknowledged this recently: proof enough of contact that no API read is needed. */
  static final long REPLICA_CONTACT_FRESH_MILLIS = 1000;

  /**
   * What a primary knows of its last contacts, in this process's (monotonic) milliseconds.
   *
   * @param replicaContactMillis the latest replica acknowledgement it can prove (0: none)
   * @param lastContactMillis the latest contact of any kind: API server, controller, replica, or
   *     the grace given when it became primary
   */
  public record Contact(long nowMillis, long replicaContactMillis, long lastContactMillis) {
    /** A replica acknowledged within the last second. */
    public boolean replicaJustAnswered() {
      return replicaContactMillis > 0
          && nowMillis - replicaContactMillis < REPLICA_CONTACT_FRESH_MILLIS;
    }

    public long silentMillis() {
      return nowMillis - lastContactMillis;
    }
  }

  /**
   * Dates a primary's contacts. Both replica dates are never later than the replica's real ACK: the
   * heartbeat's send time, or INFO's whole-second age rounded up from the send time of a snapshot
   * read before the info. The controller's gate counts on it (no allowance for a late date).
   *
   * @param info the latest INFO, sent at {@code infoIssuedMillis}
   * @param graceFromMillis when the controller last made or confirmed this primary (or the agent
   *     started): that is contact
   */
  public static Contact contact(
      long nowMillis,
      RedisInfo info,
      long infoIssuedMillis,
      long replicaAckMillis,
      long apiContactMillis,
      long controllerContactMillis,
      long graceFromMillis) {
    long replicaContact =
        Math.max(replicaAckMillis, earliestReplicaContact(info, infoIssuedMillis));
    long lastContact =
        Math.max(
            Math.max(apiContactMillis, replicaContact),
            Math.max(controllerContactMillis, graceFromMillis));
    return new Contact(nowMillis, replicaContact, lastContact);
  }

  /**
   * Whether the agent should read the API server now: a writable primary without fresh evidence of
   * contact (a replica's ACK, or a controller poll: a lone primary polled by the controller makes
   * no API reads, or a thousand single-instance clusters would cost the API server two reads a
   * second each), a replica whose link is down (its primary may have moved), a self-fenced primary
   * (to lift it) and an instance held at boot while Redis runs (to resolve it).
   */
  public static boolean needsApiRead(
      long nowMillis,
      boolean writablePrimary,
      boolean replicaJustAnswered,
      long controllerContactMillis,
      boolean followingWithLinkDown,
      boolean selfFenced,
      boolean heldWithRedisUp) {
    boolean controllerPolledRecently =
        nowMillis - controllerContactMillis < CONTROLLER_CONTACT_FRESH_MILLIS;
    return (writablePrimary && !replicaJustAnswered && !controllerPolledRecently)
        || followingWithLinkDown
        || selfFenced
        || heldWithRedisUp;
  }

  /**
   * A writable primary the API server no longer records as primary steps down, once the record had
   * time to catch up with its own promotion.
   */
  public static boolean mustYieldTo(
      ClusterView view, String podName, long nowMillis, long becamePrimaryAtMillis) {
    return anotherPrimaryDesignated(view, podName)
        && nowMillis - becamePrimaryAtMillis > RECORD_CATCH_UP_MILLIS;
  }

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
