package io.redisoperator.agent.fencing;

import io.redisoperator.protocol.agent.SelfFencing;

/**
 * When a primary pauses writes because it has lost every replica and the controller and the API
 * server at once: the likely start of a partition, well before the self-fence ({@link
 * SelfFencing#ISOLATION_MILLIS}). Writes that arrive meanwhile wait instead of being acknowledged;
 * they run when contact returns, or fail with NOREPLICAS once the self-fence applies. The pause
 * only shortens how long a cut-off primary acknowledges writes that will be lost; it is not part of
 * the promotion gate's argument (the self-fence is) and is never reported as a fence.
 */
public final class IsolationPausePolicy {
  /**
   * A replica heartbeat ({@code PUBLISH} + {@code WAIT}) unanswered for this long means the
   * replicas are out of reach.
   */
  public static final long REPLICA_SILENCE_MILLIS = 500;

  /**
   * No request from the controller and no API read vouching for this pod for this long: longer than
   * the controller's default poll interval (1000 ms) plus its jitter, so a primary whose only
   * replica restarts keeps taking writes while the controller polls it.
   */
  public static final long CONTACT_SILENCE_MILLIS = 1200;

  /**
   * Each CLIENT PAUSE lasts this long; it is renewed while the pause holds, and expires by itself
   * after.
   */
  public static final long PAUSE_STEP_MILLIS = 400;

  static {
    if (REPLICA_SILENCE_MILLIS >= SelfFencing.ISOLATION_MILLIS
        || CONTACT_SILENCE_MILLIS >= SelfFencing.ISOLATION_MILLIS) {
      throw new IllegalStateException("the isolation pause must come before the self-fence");
    }
  }

  private IsolationPausePolicy() {}

  /**
   * What the agent knows at one moment.
   *
   * @param writablePrimary Redis is a primary, the agent wants it writable and Redis confirmed it
   *     is
   * @param lastReplicaAckMillis the latest moment a replica is known to have been in contact (0:
   *     never, as far as this agent knows: a lone primary is never paused, the self-fence alone
   *     covers it)
   * @param lastOtherContactMillis the latest controller request or API read vouching for this pod
   * @param pausedSinceMillis when the current pause began, or -1 when not paused
   * @param writablePrimarySinceMillis since when this instance has been a writable primary without
   *     interruption (as the agent's checks saw it)
   */
  public record Facts(
      boolean writablePrimary,
      long nowMillis,
      long lastReplicaAckMillis,
      long lastOtherContactMillis,
      long pausedSinceMillis,
      long writablePrimarySinceMillis) {}

  /**
   * Whether writes must be paused (started, or renewed). A pause that began goes on until some
   * contact is dated after its start: the heartbeat itself waits while writes are paused, so
   * replica contact can then only come from INFO.
   *
   * <p>Replica silence counts from when this instance became a writable primary at the earliest: a
   * replica that a {@code FAILOVER} from the old primary just handed the role has heard no
   * heartbeat ACK as a primary yet (its replicas' INFO lag is whole seconds, an ACK from an earlier
   * time as primary is older still), and the controller's last request may be seconds old (a
   * replica's held status long-poll is dated by its arrival). It was paused for 400 to 470 ms right
   * after the handoff, which the switchover benchmark measured as write gaps of 499 and 506 ms.
   */
  public static boolean mustPause(Facts f) {
    if (!f.writablePrimary() || f.lastReplicaAckMillis() <= 0) {
      return false;
    }
    if (f.pausedSinceMillis() >= 0) {
      return f.lastReplicaAckMillis() < f.pausedSinceMillis()
          && f.lastOtherContactMillis() < f.pausedSinceMillis();
    }
    long replicaSilentSince = Math.max(f.lastReplicaAckMillis(), f.writablePrimarySinceMillis());
    return f.nowMillis() - replicaSilentSince > REPLICA_SILENCE_MILLIS
        && f.nowMillis() - f.lastOtherContactMillis() > CONTACT_SILENCE_MILLIS;
  }
}
