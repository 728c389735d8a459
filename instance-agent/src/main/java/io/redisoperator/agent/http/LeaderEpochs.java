package io.redisoperator.agent.http;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest controller lease epoch this agent has seen (in any request, status polls included, so
 * a new leader's first poll teaches it). An operation carrying a lower epoch comes from a
 * controller that has been deposed since (paused past its lease, partitioned from the API server)
 * and is refused. Requests without an epoch (a controller that does not elect a leader, or one from
 * before epochs) are let through. Kept in memory: a restarted agent learns the epoch again from the
 * leader's next poll.
 */
public final class LeaderEpochs {
  private final AtomicLong highest = new AtomicLong(-1);

  /**
   * Why the request must be refused, or empty when it may proceed; records the epoch it carries.
   */
  public Optional<String> refusal(Optional<String> header, boolean operation) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    long epoch;
    try {
      epoch = Long.parseLong(header.get().trim());
    } catch (NumberFormatException e) {
      return Optional.of("malformed lease epoch '" + header.get() + "'");
    }
    long seen = highest.accumulateAndGet(epoch, Math::max);
    if (operation && epoch < seen) {
      return Optional.of(
          "operation from a deposed controller: lease epoch "
              + epoch
              + ", this agent has seen "
              + seen);
    }
    return Optional.empty();
  }

  public long highest() {
    return highest.get();
  }
}
