package io.redisoperator.controller.reconcile;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * RFC 3339 timestamps as written to status (second precision, so rewriting the same second changes
 * nothing).
 */
final class StatusTime {
  private StatusTime() {}

  static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
