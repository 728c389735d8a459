package io.redisoperator.controller.reconcile;

/**
 * What the cluster actor remembers of the switchover in flight, keyed by its source and target:
 * whether the old primary's agent confirmed the handoff (then status and labels move without
 * waiting for a poll of the new primary), and how many attempts failed and why (the switchover is
 * abandoned after {@code MAX_ATTEMPTS}). Lost on an operator restart; the status alone is then
 * enough: polls show the new primary, and the time bound still ends a stuck attempt.
 */
public record SwitchoverMemory(
    String from, String target, boolean handedOver, int failedAttempts, String lastFailure) {

  public static final SwitchoverMemory NONE = new SwitchoverMemory(null, null, false, 0, null);

  /** True when this memory is about the switchover {@code durable} records as in flight. */
  public boolean describes(Durable durable) {
    return from != null
        && from.equals(durable.currentPrimary())
        && target != null
        && target.equals(durable.targetPrimary());
  }

  public SwitchoverMemory failed(String from, String target, String reason) {
    int previous = from.equals(this.from) && target.equals(this.target) ? failedAttempts : 0;
    return new SwitchoverMemory(from, target, false, previous + 1, reason);
  }

  /** Tells the user about the last failed attempt: which, of how many, and why. */
  public String failureNote() {
    return "switchover from "
        + from
        + " to "
        + target
        + ", attempt "
        + failedAttempts
        + " of "
        + io.redisoperator.controller.failover.SwitchoverPlanner.MAX_ATTEMPTS
        + ", failed: "
        + lastFailure;
  }

  public static SwitchoverMemory handedOver(String from, String target) {
    return new SwitchoverMemory(from, target, true, 0, null);
  }
}
