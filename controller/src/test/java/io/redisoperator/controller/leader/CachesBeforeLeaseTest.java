package io.redisoperator.controller.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CachesBeforeLeaseTest {
  private final List<String> steps = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> sync = new CompletableFuture<>();
  private final CachesBeforeLease order =
      new CachesBeforeLease(
          () -> {
            steps.add("caches started");
            return sync;
          },
          Duration.ofSeconds(60));

  private void act() {
    steps.add(sync.isDone() ? "acting with synced caches" : "acting before the caches synced");
  }

  @Test
  void aStandbyFillsItsCachesAndActsOnlyOnceLeading() throws Exception {
    order.startCaches();
    sync.complete(null);

    assertTrue(order.cachesSynced());
    assertEquals(List.of("caches started"), steps, "nothing acts before the lease");

    order.lead(this::act);

    assertEquals(List.of("caches started", "acting with synced caches"), steps);
  }

  @Test
  void aLeaderWhoseCachesAreStillListingActsOnlyOnceTheyHaveSynced() throws Exception {
    CompletableFuture<Void> started = order.startCaches();
    CompletableFuture<Void> leading =
        CompletableFuture.runAsync(
            () -> {
              try {
                order.lead(this::act);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    assertFalse(leading.isDone());
    assertEquals(List.of("caches started"), steps);
    sync.complete(null);
    leading.get();

    assertEquals(List.of("caches started", "acting with synced caches"), steps);
    assertSame(sync, started);
  }

  @Test
  void withoutElectionTheLeaderStartsTheCachesItself() throws Exception {
    sync.complete(null);

    order.lead(this::act);
    order.startCaches();

    assertEquals(List.of("caches started", "acting with synced caches"), steps);
  }

  @Test
  void cachesThatFailToFillLeaveNothingActing() {
    order.startCaches();
    sync.completeExceptionally(new IllegalStateException("403 until the authorizer synced"));

    assertFalse(order.cachesSynced());
    assertThrows(ExecutionException.class, () -> order.lead(this::act));
    assertEquals(List.of("caches started"), steps);
  }

  @Test
  void cachesStillListingPastTheTimeoutLeaveNothingActing() {
    CachesBeforeLease impatient = new CachesBeforeLease(() -> sync, Duration.ofMillis(50));

    assertThrows(TimeoutException.class, () -> impatient.lead(this::act));
    assertEquals(List.of(), steps);
  }
}
