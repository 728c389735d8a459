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
 */
public record PrimaryHealth(
    Verdict verdict, String reason, boolean deathProven, Instant lastContact) {

  public enum Verdict {
    HEALTHY,
    SUSPECT,
    FAILED
  }

  static PrimaryHealth healthy(Instant lastContact) {
    return new PrimaryHealth(Verdict.HEALTHY, "primary answers", false, lastContact);
  }

  static PrimaryHealth suspect(String reason, Instant lastContact) {
    return new PrimaryHealth(Verdict.SUSPECT, reason, false, lastContact);
  }

  static PrimaryHealth failed(String reason, boolean deathProven, Instant lastContact) {
    return new PrimaryHealth(Verdict.FAILED, reason, deathProven, lastContact);
  }

  public boolean failed() {
    return verdict == Verdict.FAILED;
  }
}
