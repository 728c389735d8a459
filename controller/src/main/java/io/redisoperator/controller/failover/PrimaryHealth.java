package io.redisoperator.controller.failover;

import java.time.Instant;

/**
 * The controller's judgement of the recorded primary.
 *
 * @param verdict HEALTHY (nothing to do), SUSPECT (watch, never act), FAILED (fail over)
 * @param reason one human sentence naming the evidence, used in events and the phase reason
 * @param deathProven the old primary's Redis is certainly not running (its agent saw the process
 *     exit, its address refuses connections, its pod's containers ended), so the promotion does not
 *     have to wait out the self-fencing bound; a pod that is merely gone or a Redis that does not
 *     answer in time is not proof
 * @param lastContact when the controller last received a status from the primary's agent; null if
 *     never
 * @param recheck a replica to poll now, or null: the primary has failed enough polls, and only this
 *     replica's report of a fresh link to it (up to a poll interval old) keeps it SUSPECT
 */
public record PrimaryHealth(
    Verdict verdict, String reason, boolean deathProven, Instant lastContact, String recheck) {

  public enum Verdict {
    HEALTHY,
    SUSPECT,
    FAILED
  }

  static PrimaryHealth healthy(Instant lastContact) {
    return new PrimaryHealth(Verdict.HEALTHY, "primary answers", false, lastContact, null);
  }

  static PrimaryHealth suspect(String reason, Instant lastContact) {
    return new PrimaryHealth(Verdict.SUSPECT, reason, false, lastContact, null);
  }

  /** SUSPECT until {@code replica}, polled now, says whether its link is still fresh. */
  static PrimaryHealth suspectUntilRechecked(String reason, Instant lastContact, String replica) {
    return new PrimaryHealth(Verdict.SUSPECT, reason, false, lastContact, replica);
  }

  static PrimaryHealth failed(String reason, boolean deathProven, Instant lastContact) {
    return new PrimaryHealth(Verdict.FAILED, reason, deathProven, lastContact, null);
  }

  public boolean failed() {
    return verdict == Verdict.FAILED;
  }
}
