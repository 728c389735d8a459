package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NewConnectionsTest {
  private final AtomicLong nanos = new AtomicLong();
  private final List<String> granted = new ArrayList<>();

  private NewConnections.Ticket ask(NewConnections contacts, String pod, boolean primary) {
    return contacts.ask(primary, true, () -> granted.add(pod));
  }

  @Test
  void grantsAtMostTheLimitAndTheNextOneWhenAPlaceIsReturned() {
    NewConnections contacts = new NewConnections(2, nanos::get);
    NewConnections.Ticket a = ask(contacts, "a", false);
    NewConnections.Ticket b = ask(contacts, "b", false);
    NewConnections.Ticket c = ask(contacts, "c", false);
    assertEquals(List.of("a", "b"), granted);
    assertFalse(contacts.isGranted(c));
    assertEquals(1, contacts.waiting());

    contacts.release(a);
    assertEquals(List.of("a", "b", "c"), granted);
    assertTrue(contacts.isGranted(c));
    assertFalse(contacts.isGranted(a));
    contacts.release(a); // twice: nothing more is freed
    assertEquals(2, contacts.inFlight());
    contacts.release(b);
    contacts.release(c);
    assertEquals(0, contacts.inFlight());
  }

  @Test
  void recordedPrimariesGoBeforeThePodsThatAskedEarlier() {
    NewConnections contacts = new NewConnections(1, nanos::get);
    java.util.Map<String, NewConnections.Ticket> tickets = new java.util.HashMap<>();
    for (String pod : List.of("c1-1", "c2-1", "c3-1", "c2-0", "c3-0")) {
      tickets.put(pod, ask(contacts, pod, pod.endsWith("-0")));
    }
    for (int i = 0; i < 4; i++) {
      // The poll of the pod granted last ends: the next one goes.
      contacts.release(tickets.get(granted.get(granted.size() - 1)));
    }
    assertEquals(List.of("c1-1", "c2-0", "c3-0", "c2-1", "c3-1"), granted);
  }

  @Test
  void onlyFirstContactsStillWaitingAreABacklog() {
    NewConnections contacts = new NewConnections(1, nanos::get);
    NewConnections.Ticket held = contacts.ask(false, false, () -> granted.add("held"));
    NewConnections.Ticket reconnection = contacts.ask(false, false, () -> granted.add("again"));
    assertFalse(
        contacts.firstContactsWaiting(), "a reconnection after a failed poll is no backlog");
    NewConnections.Ticket first = contacts.ask(false, true, () -> granted.add("first"));
    NewConnections.Ticket gaveUp = contacts.ask(false, true, () -> granted.add("gave-up"));
    assertTrue(contacts.firstContactsWaiting());
    contacts.release(gaveUp);
    contacts.release(held);
    assertEquals(List.of("held", "again"), granted);
    assertTrue(contacts.firstContactsWaiting(), "still queued behind the reconnection");
    contacts.release(reconnection);
    assertEquals(List.of("held", "again", "first"), granted);
    assertFalse(contacts.firstContactsWaiting(), "granted: no longer waiting");
    contacts.release(first);
  }

  @Test
  void aPodThatStopsWaitingLeavesTheQueue() {
    NewConnections contacts = new NewConnections(1, nanos::get);
    NewConnections.Ticket a = ask(contacts, "a", false);
    NewConnections.Ticket b = ask(contacts, "b", false);
    ask(contacts, "c", false);
    contacts.release(b);
    contacts.release(a);
    assertEquals(List.of("a", "c"), granted);
  }

  @Test
  void aPlaceNeverReturnedIsTakenBackAfterTheGrantLimit() {
    NewConnections contacts = new NewConnections(1, nanos::get);
    NewConnections.Ticket lost = ask(contacts, "lost", false);
    ask(contacts, "b", false);
    nanos.addAndGet(NewConnections.GRANT_LIMIT.toNanos());
    ask(contacts, "c", false);
    assertEquals(List.of("lost"), granted, "not before the limit");
    nanos.incrementAndGet();
    ask(contacts, "d", false);
    assertEquals(List.of("lost", "b"), granted);
    assertFalse(contacts.isGranted(lost));
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new NewConnections(0, nanos::get));
  }
}
