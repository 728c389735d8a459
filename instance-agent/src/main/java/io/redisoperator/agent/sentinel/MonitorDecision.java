package io.redisoperator.agent.sentinel;

import io.redisoperator.agent.config.Endpoint;
import java.util.Optional;

/**
 * Whether Sentinel must be re-pointed: the primary the operator recorded wins over whatever
 * Sentinel believes.
 */
public enum MonitorDecision {
  /** Sentinel monitors the recorded primary's address. */
  KEEP,
  /** Sentinel monitors another address, or nothing: REMOVE + MONITOR + options. */
  REPOINT,
  /**
   * The recorded primary's address is unknown (no primary yet, pod without IP, API unreachable):
   * change nothing.
   */
  WAIT;

  public static MonitorDecision decide(Optional<Endpoint> recorded, Optional<Endpoint> monitored) {
    if (recorded.isEmpty()) {
      return WAIT;
    }
    return recorded.equals(monitored) ? KEEP : REPOINT;
  }
}
