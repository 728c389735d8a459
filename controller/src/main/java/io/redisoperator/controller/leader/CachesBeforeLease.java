package io.redisoperator.controller.leader;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The order a controller starts in: its caches (the informers' lists and watches) from the
 * process's start, whether it leads or not; what decides and acts only once it leads. A standby
 * replica, or a restarted controller waiting for a crashed one's Lease to run out, then leads with
 * its caches already filled instead of listing every watched object after the Lease (seconds at
 * 1000 clusters, docs/performance.md). The informers only read: until {@link #lead} runs its {@code
 * startActing} there is nothing their events could reach (the actors are created there, and the
 * {@code SyncGate} in front of them is opened there).
 */
public final class CachesBeforeLease {
  private final Supplier<CompletableFuture<Void>> startCaches;
  private final Duration syncTimeout;
  private CompletableFuture<Void> synced;

  /**
   * {@code startCaches} starts every informer and completes once their caches are filled; {@code
   * syncTimeout} is how long a new leader waits for that, counted from the Lease.
   */
  public CachesBeforeLease(Supplier<CompletableFuture<Void>> startCaches, Duration syncTimeout) {
    this.startCaches = startCaches;
    this.syncTimeout = syncTimeout;
  }

  /** Starts the informers (once; later calls return the same sync). */
  public synchronized CompletableFuture<Void> startCaches() {
    if (synced == null) {
      synced = startCaches.get();
    }
    return synced;
  }

  /** Whether every cache has been filled (a standby's as well as a leader's). */
  public synchronized boolean cachesSynced() {
    return synced != null && synced.isDone() && !synced.isCompletedExceptionally();
  }

  /**
   * Once leading: waits for the caches (started now if they were not yet), then runs {@code
   * startActing}, on the calling thread. A sync that fails or outlasts {@code syncTimeout} throws,
   * and nothing acts.
   */
  public void lead(Runnable startActing) throws Exception {
    startCaches().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
    startActing.run();
  }
}
