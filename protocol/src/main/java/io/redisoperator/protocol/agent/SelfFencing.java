package io.redisoperator.protocol.agent;

/**
 * The timing contract that keeps two writable primaries from coexisting. A primary's agent that has reached neither
 * the API server nor any replica for {@link #ISOLATION_MILLIS} fences itself (stops accepting writes); it checks every
 * {@link #CHECK_INTERVAL_MILLIS}. The controller therefore never promotes a replica before
 * {@link #promotionSafeAfterMillis()} has passed since it last heard from the old primary, unless it has proof that
 * the old primary cannot accept writes (its pod is gone, its Redis process is dead, or it acknowledged a fence).
 * docs/failover.md has the full argument.
 */
public final class SelfFencing {
  private SelfFencing() {}

  public static final long ISOLATION_MILLIS = 2000;
  public static final long CHECK_INTERVAL_MILLIS = 250;
  /** Covers a check in flight, clock-rate drift between nodes and applying the fence. */
  public static final long SAFETY_MARGIN_MILLIS = 500;
  /**
   * How late an agent may date its last replica contact: Redis reports a replica's ACK age ({@code lag}) in whole
   * seconds, so an ACK counted as "now" can be up to a second old and the isolation clock starts that much later.
   */
  public static final long REPLICA_ACK_GRANULARITY_MILLIS = 1000;

  /** Minimum time since the controller's last contact with an unfenced primary before another may be promoted. */
  public static long promotionSafeAfterMillis() {
    return REPLICA_ACK_GRANULARITY_MILLIS + ISOLATION_MILLIS + CHECK_INTERVAL_MILLIS + SAFETY_MARGIN_MILLIS;
  }
}
