package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionPlaceTest {
  @Test
  void aPlaceIsAskedForOnceAndReturnedWhenTheCallItWasHandedToEnds() {
    NewConnections one = new NewConnections(1, System::nanoTime);
    ConnectionPlace place = new ConnectionPlace(one);
    AtomicInteger grants = new AtomicInteger();
    place.ask(false, grants::incrementAndGet);
    place.ask(false, grants::incrementAndGet);
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
    first.ask(false, () -> {});
    second.ask(false, () -> {});
    assertFalse(second.granted());
    assertEquals(1, one.waiting());

    second.release();
    assertEquals(0, one.waiting());
    first.release();
    first.release();
    assertEquals(0, one.inFlight());
    assertFalse(first.granted());
  }
}
