package io.redisoperator.agent.fencing;

import static io.redisoperator.agent.fencing.IsolationPausePolicy.CONTACT_SILENCE_MILLIS;
import static io.redisoperator.agent.fencing.IsolationPausePolicy.REPLICA_SILENCE_MILLIS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.fencing.IsolationPausePolicy.Facts;
import org.junit.jupiter.api.Test;

class IsolationPausePolicyTest {
  private static final long NOW = 100_000;

  @Test
  void pausesOnlyWhenReplicasAndTheControlPlaneAreAllSilent() {
    long replicaGone = NOW - REPLICA_SILENCE_MILLIS - 1;
    long controlGone = NOW - CONTACT_SILENCE_MILLIS - 1;
    assertTrue(IsolationPausePolicy.mustPause(new Facts(true, NOW, replicaGone, controlGone, -1)));
    assertFalse(
        IsolationPausePolicy.mustPause(
            new Facts(true, NOW, NOW - REPLICA_SILENCE_MILLIS, controlGone, -1)),
        "a replica acknowledged recently");
    assertFalse(
        IsolationPausePolicy.mustPause(
            new Facts(true, NOW, replicaGone, NOW - CONTACT_SILENCE_MILLIS, -1)),
        "the only replica restarting while the controller polls: writes go on");
  }

  @Test
  void neverPausesALonePrimaryAReplicaOrAnInstanceThatAlreadyRefusesWrites() {
    assertFalse(
        IsolationPausePolicy.mustPause(new Facts(true, NOW, 0, 0, -1)),
        "no replica ever acknowledged");
    assertFalse(IsolationPausePolicy.mustPause(new Facts(false, NOW, 1, 1, -1)));
    assertFalse(
        IsolationPausePolicy.mustPause(new Facts(false, NOW, 1, 1, NOW - 50)),
        "fenced meanwhile: stop");
  }

  @Test
  void aPauseHoldsUntilSomeContactIsDatedAfterItBegan() {
    long since = NOW - 3000;
    long before = since - 10;
    assertTrue(IsolationPausePolicy.mustPause(new Facts(true, NOW, before, before, since)));
    assertFalse(
        IsolationPausePolicy.mustPause(new Facts(true, NOW, since + 1, before, since)),
        "a replica is back");
    assertFalse(
        IsolationPausePolicy.mustPause(new Facts(true, NOW, before, since + 1, since)),
        "the controller is back");
  }
}
