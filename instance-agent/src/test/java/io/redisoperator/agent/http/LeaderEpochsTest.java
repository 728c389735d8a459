package io.redisoperator.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderEpochsTest {
  @Test
  void operationsOfADeposedControllerAreRefusedOnceItsSuccessorWasSeen() {
    LeaderEpochs epochs = new LeaderEpochs();
    assertTrue(epochs.refusal(Optional.of("3"), true).isEmpty(), "the leader before");
    assertTrue(epochs.refusal(Optional.of("4"), false).isEmpty(), "the new leader's first poll");
    assertTrue(epochs.refusal(Optional.of("3"), false).isEmpty(), "the deposed one may still read");
    assertTrue(epochs.refusal(Optional.of("3"), true).orElseThrow().contains("deposed"));
    assertTrue(epochs.refusal(Optional.of("4"), true).isEmpty());
    assertTrue(
        epochs.refusal(Optional.empty(), true).isEmpty(),
        "no epoch: a controller without leader election");
    assertTrue(epochs.refusal(Optional.of("x"), true).isPresent());
    assertEquals(4, epochs.highest());
  }
}
