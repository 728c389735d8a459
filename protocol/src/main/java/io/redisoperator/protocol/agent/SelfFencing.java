package io.redisoperator.protocol.agent;

/**
 * The timing contract that keeps two writable primaries from coexisting. A primary's agent that has
 * reached neither the API server nor any replica for {@link #ISOLATION_MILLIS} fences itself (stops
 * accepting writes); it checks every {@link #CHECK_INTERVAL_MILLIS}. The controller therefore never
 * promotes a replica before {@link #promotionSafeAfterMillis()} has passed since it last heard from
 * the old primary, unless it has proof that the old primary cannot accept writes (its pod is gone,
 * its Redis process is dead, or it acknowledged a fence). The agent never dates a contact later
 * than it happened (a replica's ACK by the moment its heartbeat was sent, or by INFO's whole-second
 * age rounded up), so the bound needs no allowance for late dates. docs/failover.md has the full
 * argument.
 */
public final class SelfFencing {
  private SelfFencing() {}

  public static final long ISOLATION_MILLIS = 2000;
  public static final long CHECK_INTERVAL_MILLIS = 250;

  /** Covers a check in flight, clock-rate drift between nodes and applying the fence. */
  public static final long SAFETY_MARGIN_MILLIS = 500;

  /**
   * How long an agent's report that its Redis cannot take writes (process not running, fenced,
   * self-fenced, held at boot, or not a primary) stays usable as grounds for promoting another
   * instance. The controller must not promote on such a report once this has passed since it
   * <em>sent</em> the request that got it; in exchange the agent does not make its Redis writable
   * on its own (boot guard, self-fence lift, hold resolved from an API read) unless its API read
   * started more than this after it last served such a report. Without it, a primary whose crash
   * was reported could restart and read a status the controller had not yet fenced it in, and come
   * back writable while the controller promotes a replica on the stale report. Requests from the
   * controller (promote, unfence) are fresh decisions and may make Redis writable at any time.
   */
  public static final long UNWRITABLE_REPORT_VALIDITY_MILLIS = 5000;

  /**
   * Minimum time since the controller's last contact with an unfenced primary before another may be
   * promoted.
   */
  public static long promotionSafeAfterMillis() {
    return ISOLATION_MILLIS + CHECK_INTERVAL_MILLIS + SAFETY_MARGIN_MILLIS;
  }
}
