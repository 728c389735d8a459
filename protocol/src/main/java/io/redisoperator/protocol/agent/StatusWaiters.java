package io.redisoperator.protocol.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent side of the status long-poll: answers at once when the current version differs from the
 * caller's {@code since}, otherwise when it changes or the wait is over. Whoever changes the state
 * calls {@link #changed()}; held requests also look again every {@link #RECHECK_MILLIS} (by
 * default), for changes that come from time alone (a Redis that stops answering ages out of its
 * last INFO without anybody writing).
 */
public final class StatusWaiters {
  /** The agent's recheck: as often as it refreshes INFO. */
  public static final long RECHECK_MILLIS = 250;

  /** A status and its version. */
  public record Versioned(InstanceStatus status, String version) {}

  private final Supplier<InstanceStatus> status;
  private final StatusVersions versions;
  private final LongSupplier millis;
  private final long recheckMillis;
  private List<CompletableFuture<Void>> waiting = new ArrayList<>();

  public StatusWaiters(
      Supplier<InstanceStatus> status, StatusVersions versions, LongSupplier millis) {
    this(status, versions, millis, RECHECK_MILLIS);
  }

  /**
   * @param recheckMillis how often a held request looks again without being woken
   */
  public StatusWaiters(
      Supplier<InstanceStatus> status,
      StatusVersions versions,
      LongSupplier millis,
      long recheckMillis) {
    this.status = status;
    this.versions = versions;
    this.millis = millis;
    this.recheckMillis = recheckMillis;
  }

  /** The status now, with its version. */
  public Versioned current() {
    InstanceStatus now = status.get();
    return new Versioned(now, versions.observe(now));
  }

  /** Wakes every held request: it compares versions again. */
  public void changed() {
    List<CompletableFuture<Void>> woken;
    synchronized (this) {
      woken = waiting;
      waiting = new ArrayList<>();
    }
    woken.forEach(f -> f.complete(null));
  }

  /**
   * @param since the version the caller has (null: answer at once)
   * @param waitMillis how long to hold an unchanged status, capped at {@link
   *     AgentApi#MAX_STATUS_WAIT_MILLIS}
   */
  public CompletionStage<Versioned> await(String since, long waitMillis) {
    long deadline =
        millis.getAsLong() + Math.max(0, Math.min(waitMillis, AgentApi.MAX_STATUS_WAIT_MILLIS));
    return check(since, deadline);
  }

  private CompletionStage<Versioned> check(String since, long deadline) {
    CompletableFuture<Void> signal = new CompletableFuture<>();
    synchronized (this) {
      waiting.add(signal); // before reading: a change right after the read still wakes this request
    }
    Versioned now = current();
    long remaining = deadline - millis.getAsLong();
    if (since == null || !since.equals(now.version()) || remaining <= 0) {
      synchronized (this) {
        waiting.remove(signal);
      }
      return CompletableFuture.completedFuture(now);
    }
    return signal
        .completeOnTimeout(null, Math.min(remaining, recheckMillis), TimeUnit.MILLISECONDS)
        .thenCompose(
            x -> {
              synchronized (this) {
                waiting.remove(signal);
              }
              return check(since, deadline);
            });
  }
}
