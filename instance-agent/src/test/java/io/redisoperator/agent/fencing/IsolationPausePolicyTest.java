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
    assertTrue(
        IsolationPausePolicy.mustPause(new Facts(true, NOW, replicaGone, controlGone, -1, 0)));
    assertFalse(
        IsolationPausePolicy.mustPause(
            new Facts(true, NOW, NOW - REPLICA_SILENCE_MILLIS, controlGone, -1, 0)),
        "a replica acknowledged recently");
    assertFalse(
        IsolationPausePolicy.mustPause(
            new Facts(true, NOW, replicaGone, NOW - CONTACT_SILENCE_MILLIS, -1, 0)),
        "the only replica restarting while the controller polls: writes go on");
  }

  @Test
  void neverPausesALonePrimaryAReplicaOrAnInstanceThatAlreadyRefusesWrites() {
    assertFalse(
        IsolationPausePolicy.mustPause(new Facts(true, NOW, 0, 0, -1, 0)),
        "no replica ever acknowledged");
    assertFalse(IsolationPausePolicy.mustPause(new Facts(false, NOW, 1, 1, -1, 0)));
    assertFalse(
        IsolationPausePolicy.mustPause(new Facts(false, NOW, 1, 1, NOW - 50, 0)),
        "fenced meanwhile: stop");
  }

  @Test
  void aPauseHoldsUntilSomeContactIsDatedAfterItBegan() {
    long since = NOW - 3000;
    long before = since - 10;
    assertTrue(IsolationPausePolicy.mustPause(new Facts(true, NOW, before, before, since, 0)));
    assertFalse(
        IsolationPausePolicy.mustPause(new Facts(true, NOW, since + 1, before, since, 0)),
        "a replica is back");
    assertFalse(
        IsolationPausePolicy.mustPause(new Facts(true, NOW, before, since + 1, since, 0)),
        "the controller is back");
  }

  @Test
  void aReplicaJustHandedThePrimaryRoleIsNotPausedBeforeItsReplicasCouldAnswer() {
    // A switchover's target: the old primary's FAILOVER made it a primary 50 ms ago; its replicas'
    // INFO lag (whole seconds) dates their contact up to a second back, and the controller's last
    // request is a held status long-poll that arrived 5 s ago.
    long becamePrimary = NOW - 50;
    long infoContact = NOW - 1000;
    long heldPollArrived = NOW - 5000;
    assertFalse(
        IsolationPausePolicy.mustPause(
            new Facts(true, NOW, infoContact, heldPollArrived, -1, becamePrimary)),
        "its first heartbeat has not had time to be answered");
    long later = becamePrimary + REPLICA_SILENCE_MILLIS + 1;
    assertTrue(
        IsolationPausePolicy.mustPause(
            new Facts(true, later, infoContact, heldPollArrived, -1, becamePrimary)),
        "no heartbeat answered since it became primary: its replicas are out of reach");
  }
}
