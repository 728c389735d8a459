package io.redisoperator.controller.leader;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this process may act on clusters. Granted when the lease is acquired (or at once without
 * leader election), revoked for good the moment the lease is lost or the process finds it was
 * paused for longer than the lease could outlive: from then on every API write and agent operation
 * fails at once, including those already queued, instead of running until the process has exited.
 */
public final class Leadership {
  private final AtomicReference<String> revoked = new AtomicReference<>();
  private volatile boolean granted;
  private volatile long epoch = -1;

  public void grant() {
    granted = true;
  }

  /**
   * Granted with the lease's epoch ({@code leaseTransitions} when acquired), which agents compare.
   */
  public void grant(long leaseEpoch) {
    epoch = leaseEpoch;
    granted = true;
  }

  /** The lease epoch sent with agent requests; negative without leader election. */
  public long epoch() {
    return epoch;
  }

  /** Irreversible: a deposed controller exits and comes back as a new candidate. */
  public void revoke(String why) {
    revoked.compareAndSet(null, why);
  }

  public boolean acting() {
    return granted && revoked.get() == null;
  }

  /** Throws unless this process may act: checked right before every write and agent operation. */
  public void check() {
    if (!acting()) {
      String why = revoked.get();
      throw new NotLeaderException(
          why == null ? "not the leader (yet)" : "no longer the leader: " + why);
    }
  }

  /** Thrown instead of acting without leadership. */
  public static final class NotLeaderException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NotLeaderException(String message) {
      super(message);
    }
  }
}
