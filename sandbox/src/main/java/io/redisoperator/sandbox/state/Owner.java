package io.redisoperator.sandbox.state;

import java.time.Instant;
import java.util.Optional;

/**
 * The JVM that owns a sandbox instance, identified by pid and start time so that a reused pid is
 * not mistaken.
 */
record Owner(long pid, long startMillis) {

  static Optional<Owner> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.trim().split(" ");
    try {
      return Optional.of(
          new Owner(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  boolean isAlive() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(h -> h.info().startInstant().map(Instant::toEpochMilli).orElse(0L))
        .map(start -> startMillis == 0 || Math.abs(start - startMillis) < 2000)
        .orElse(false);
  }
}
