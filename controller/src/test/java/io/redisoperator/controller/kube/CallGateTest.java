package io.redisoperator.controller.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallGateTest {
  @Test
  void callsPastTheLimitWaitUntilOneEnds() {
    CallGate gate = new CallGate(2);
    List<String> sent = new ArrayList<>();
    gate.enter(1, () -> sent.add("a"));
    gate.enter(1, () -> sent.add("b"));
    gate.enter(1, () -> sent.add("c"));
    assertEquals(List.of("a", "b"), sent);
    assertEquals(1, gate.waiting());

    gate.ended();
    assertEquals(List.of("a", "b", "c"), sent);
    assertEquals(0, gate.waiting());

    // Three ended of three sent: the gate is empty again, two go at once.
    gate.ended();
    gate.ended();
    gate.enter(1, () -> sent.add("d"));
    gate.enter(1, () -> sent.add("e"));
    assertEquals(List.of("a", "b", "c", "d", "e"), sent);
  }

  @Test
  void waitingCallsGoByRankThenArrival() {
    CallGate gate = new CallGate(1);
    List<String> sent = new ArrayList<>();
    gate.enter(5, () -> sent.add("holding"));
    gate.enter(3, () -> sent.add("third cluster, first call"));
    gate.enter(2, () -> sent.add("second cluster"));
    gate.enter(3, () -> sent.add("third cluster, second call"));
    for (int i = 0; i < 3; i++) {
      gate.ended();
    }
    assertEquals(
        List.of(
            "holding", "second cluster", "third cluster, first call", "third cluster, second call"),
        sent);
  }
}
