package io.redisoperator.agent.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StaleEntriesTest {
  private static final Set<String> LIVE = Set.of("10.0.0.1", "10.0.0.2", "10.0.0.11");

  @Test
  void anUnreachableAddressNoPodHasIsStale() {
    StaleEntries.Known gone =
        StaleEntries.Known.of(
            Map.of("ip", "10.0.0.9", "port", "6379", "flags", "slave,disconnected"));
    assertEquals(List.of(gone), StaleEntries.stale(List.of(gone), LIVE));
    StaleEntries.Known down = new StaleEntries.Known("10.0.0.12", 26379, "s_down,sentinel");
    assertEquals(List.of(down), StaleEntries.stale(List.of(down), LIVE));
  }

  @Test
  void aLivePodsAddressIsKeptEvenWhileDisconnected() {
    // A pod restarting in place keeps its IP: its entry comes back by itself.
    var restarting = new StaleEntries.Known("10.0.0.2", 6379, "slave,disconnected");
    assertTrue(StaleEntries.stale(List.of(restarting), LIVE).isEmpty());
  }

  @Test
  void aConnectedEntryIsKeptEvenIfTheWatchCacheDoesNotShowItsPodYet() {
    var fresh = new StaleEntries.Known("10.0.0.3", 6379, "slave");
    assertTrue(StaleEntries.stale(List.of(fresh), LIVE).isEmpty());
  }

  @Test
  void withoutPodIpsNothingIsStale() {
    var gone = new StaleEntries.Known("10.0.0.9", 6379, "slave,disconnected");
    assertTrue(StaleEntries.stale(List.of(gone), Set.of()).isEmpty());
  }

  @Test
  void resetsAreSpacedOut() {
    assertTrue(StaleEntries.mayReset(-1));
    assertFalse(StaleEntries.mayReset(StaleEntries.MIN_RESET_INTERVAL.toMillis() - 1));
    assertTrue(StaleEntries.mayReset(StaleEntries.MIN_RESET_INTERVAL.toMillis()));
  }

  @Test
  void resetsOnlyWhileThePrimaryAnswersSentinel() {
    assertTrue(
        StaleEntries.primaryReachable(Map.of("flags", "master", "last-ok-ping-reply", "420")));
    assertFalse(
        StaleEntries.primaryReachable(
            Map.of("flags", "master,disconnected", "last-ok-ping-reply", "420")));
    assertFalse(
        StaleEntries.primaryReachable(Map.of("flags", "master", "last-ok-ping-reply", "9000")));
    assertFalse(StaleEntries.primaryReachable(Map.of("flags", "master")));
  }
}
