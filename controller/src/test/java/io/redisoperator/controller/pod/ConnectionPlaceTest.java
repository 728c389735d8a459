package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionPlaceTest {
  @Test
  void aPlaceIsAskedForOnceAndReturnedWhenTheCallItWasHandedToEnds() {
    NewConnections one = new NewConnections(1, System::nanoTime);
    ConnectionPlace place = new ConnectionPlace(one);
    AtomicInteger grants = new AtomicInteger();
    place.ask(false, true, grants::incrementAndGet);
    place.ask(false, true, grants::incrementAndGet);
    assertEquals(1, grants.get());
    assertTrue(place.granted());

    CompletableFuture<String> call = new CompletableFuture<>();
    place.handTo(call);
    assertFalse(place.granted(), "the call holds it now");
    assertEquals(1, one.inFlight(), "held until the call ends");
    call.complete("answered");
    assertEquals(0, one.inFlight());
  }

  @Test
  void releaseGivesUpAPlaceStillWaitedForAndReturnsAGrantedOne() {
    NewConnections one = new NewConnections(1, System::nanoTime);
    ConnectionPlace first = new ConnectionPlace(one);
    ConnectionPlace second = new ConnectionPlace(one);
    first.ask(false, true, () -> {});
    second.ask(false, true, () -> {});
    assertFalse(second.granted());
    assertEquals(1, one.waiting());

    second.release();
    assertEquals(0, one.waiting());
    first.release();
    first.release();
    assertEquals(0, one.inFlight());
    assertFalse(first.granted());
  }

  @Test
  void aPlaceTakenBackBeforeItWasUsedIsAskedForAnew() {
    AtomicLong nanos = new AtomicLong();
    NewConnections one = new NewConnections(1, nanos::get);
    ConnectionPlace place = new ConnectionPlace(one);
    AtomicInteger grants = new AtomicInteger();
    place.ask(false, true, grants::incrementAndGet);
    assertTrue(place.granted());
    assertFalse(place.takenBack());

    nanos.addAndGet(NewConnections.GRANT_LIMIT.toNanos() + 1);
    NewConnections.Ticket other = one.ask(false, true, () -> {});
    assertTrue(one.isGranted(other), "the unused place went to the next");
    assertFalse(place.granted());
    assertTrue(place.takenBack());

    place.ask(false, true, grants::incrementAndGet);
    assertEquals(1, one.waiting(), "asked for anew");
    one.release(other);
    assertTrue(place.granted());
    assertFalse(place.takenBack());
    assertEquals(2, grants.get());
  }
}
