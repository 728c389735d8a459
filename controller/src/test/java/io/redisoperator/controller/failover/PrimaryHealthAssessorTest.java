package io.redisoperator.controller.failover;

import static io.redisoperator.controller.failover.Fixture.NOW;
import static io.redisoperator.controller.failover.Fixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.failover.PrimaryHealth.Verdict;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.crd.InstanceRole;
import org.junit.jupiter.api.Test;

class PrimaryHealthAssessorTest {
  private static final java.time.Instant LAST = NOW.minusSeconds(4);

  @Test
  void answeringPrimaryIsHealthy() {
    PrimaryHealth health = PrimaryHealthAssessor.assess(Fixture.healthy(3, 100).observation());
    assertEquals(Verdict.HEALTHY, health.verdict());
    assertEquals(NOW, health.lastContact());
  }

  @Test
  void oneFailedPollNeverFailsOver() {
    var obs =
        Fixture.healthy(3, 100).change(0, i -> Fixture.silent(i, 1, PollFailure.TIMEOUT, LAST));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(obs.observation()).verdict());
  }

  @Test
  void thresholdOfTimeoutsFailsWithoutProof() {
    var obs =
        Fixture.healthy(3, 100)
            .change(0, i -> Fixture.silent(i, 3, PollFailure.TIMEOUT, LAST))
            .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)))
            .change(2, i -> Fixture.reporting(i, s -> s.master(ip(0), true, 5L)));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertFalse(health.deathProven());
    assertEquals(LAST, health.lastContact());
  }

  @Test
  void thresholdComesFromTheSpec() {
    var obs =
        Fixture.healthy(3, 100)
            .spec(s -> s.getFailover().setFailureThreshold(5))
            .change(0, i -> Fixture.silent(i, 4, PollFailure.TIMEOUT, LAST))
            .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(obs.observation()).verdict());
  }

  @Test
  void replicaStillReceivingTheStreamKeepsASilentPrimarySuspect() {
    var obs =
        Fixture.healthy(3, 100).change(0, i -> Fixture.silent(i, 10, PollFailure.TIMEOUT, LAST));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.SUSPECT, health.verdict());
    assertTrue(health.reason().contains("still receives"), health.reason());
  }

  /** c-0's replicas lost their link to it (their last polls say so). */
  private static Fixture linksDown(Fixture fixture) {
    return fixture
        .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)))
        .change(2, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)));
  }

  @Test
  void deletedPodWhoseLastAddressRefusesIsProvenDead() {
    var obs =
        linksDown(Fixture.healthy(3, 100))
            .change(0, i -> Fixture.deleted(i, 1, PollFailure.CONNECTION_REFUSED));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertTrue(health.deathProven());
  }

  @Test
  void deletedPodWhoseLastAddressIsSilentFailsWithoutProof() {
    // A force delete of a pod on an unreachable node: its processes may still serve clients.
    var obs =
        linksDown(Fixture.healthy(3, 100))
            .change(0, i -> Fixture.deleted(i, 1, PollFailure.TIMEOUT));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertFalse(health.deathProven());
  }

  @Test
  void deletedPodWhoseReplicasStillHearFromItIsOnlySuspect() {
    var obs = Fixture.healthy(3, 100).change(0, i -> Fixture.deleted(i, 1, PollFailure.TIMEOUT));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(obs.observation()).verdict());
  }

  @Test
  void terminatingPodWithSilentAgentFailsWithoutProofUntilItsAddressRefuses() {
    var silent =
        linksDown(Fixture.healthy(3, 100))
            .change(
                0,
                i ->
                    Fixture.silent(
                        Fixture.phase(i, PodPhase.TERMINATING), 1, PollFailure.TIMEOUT, LAST));
    PrimaryHealth health = PrimaryHealthAssessor.assess(silent.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertFalse(health.deathProven());
    var refused = silent.change(0, i -> Fixture.silent(i, 1, PollFailure.CONNECTION_REFUSED, LAST));
    assertTrue(PrimaryHealthAssessor.assess(refused.observation()).deathProven());
  }

  @Test
  void terminatingPodWhoseRedisStillWritesIsNotProof() {
    var obs = Fixture.healthy(3, 100).change(0, i -> Fixture.phase(i, PodPhase.TERMINATING));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertFalse(health.deathProven());
  }

  @Test
  void redisProcessReportedDeadByTheAgentFailsAtOnceWithProof() {
    var obs =
        Fixture.healthy(3, 100)
            .change(0, i -> Fixture.reporting(i, s -> s.redisUp(false).processRunning(false)));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertTrue(health.deathProven());
  }

  @Test
  void aBusyRedisIsCountedLikeFailedPollsAndNeverProvesDeath() {
    var once = linksDown(Fixture.healthy(3, 100)).change(0, i -> Fixture.redisUnanswered(i, 1));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(once.observation()).verdict());
    var thrice = once.change(0, i -> Fixture.redisUnanswered(i, 3));
    PrimaryHealth health = PrimaryHealthAssessor.assess(thrice.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertFalse(health.deathProven(), "a Redis that does not answer INFO may just be busy");
  }

  @Test
  void redisDownFromAnAgentThatDoesNotReportItsProcessIsNotProof() {
    var obs =
        linksDown(Fixture.healthy(3, 100))
            .change(0, i -> Fixture.reporting(i, s -> s.redisUp(false)));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertFalse(health.deathProven());
    assertEquals(Verdict.SUSPECT, health.verdict(), "one such answer is like one failed poll");
  }

  @Test
  void aReplicaWhoseFreshLinkAloneHoldsTheFailoverBackIsAskedAgainNow() {
    var atThreshold =
        Fixture.healthy(3, 100).change(0, i -> Fixture.silent(i, 3, PollFailure.TIMEOUT, LAST));
    PrimaryHealth health = PrimaryHealthAssessor.assess(atThreshold.observation());
    assertEquals(Verdict.SUSPECT, health.verdict());
    assertTrue(
        health.recheck() != null && !health.recheck().equals(health.reason()),
        "a replica to poll now: " + health);
    var belowThreshold =
        Fixture.healthy(3, 100).change(0, i -> Fixture.silent(i, 2, PollFailure.TIMEOUT, LAST));
    assertEquals(
        null,
        PrimaryHealthAssessor.assess(belowThreshold.observation()).recheck(),
        "nothing to ask while the failed polls alone keep it suspect");
  }

  @Test
  void twoRefusedConnectionsAreProofButOneIsNot() {
    var once =
        Fixture.healthy(2, 100)
            .change(0, i -> Fixture.silent(i, 1, PollFailure.CONNECTION_REFUSED, LAST))
            .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(once.observation()).verdict());
    var twice = once.change(0, i -> Fixture.silent(i, 2, PollFailure.CONNECTION_REFUSED, LAST));
    PrimaryHealth health = PrimaryHealthAssessor.assess(twice.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertTrue(health.deathProven());
  }

  @Test
  void refusalsOfAPrimaryPodRecreatedAtANewAddressAreNoProof() {
    // The primary's pod was deleted on an unreachable node and created again under its name: its
    // agent, at a new
    // address, never answered yet and refuses while it starts. The previous incarnation may still
    // run.
    var recreated =
        Fixture.healthy(2, 100)
            .change(
                0,
                i ->
                    Fixture.silent(
                        Fixture.withIp(i, "10.0.9.9"), 2, PollFailure.CONNECTION_REFUSED, null))
            .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)));
    PrimaryHealth health = PrimaryHealthAssessor.assess(recreated.observation());
    assertFalse(health.deathProven(), health.toString());
    var threshold =
        recreated.change(0, i -> Fixture.silent(i, 3, PollFailure.CONNECTION_REFUSED, null));
    PrimaryHealth failed = PrimaryHealthAssessor.assess(threshold.observation());
    assertEquals(Verdict.FAILED, failed.verdict(), "failed polls still count");
    assertFalse(failed.deathProven(), "but the gate waits: " + failed);
  }

  @Test
  void recordedPrimaryReportingReplicaIsSuspectNotFailed() {
    var obs =
        Fixture.healthy(2, 100)
            .change(0, i -> Fixture.reporting(i, s -> s.role(InstanceRole.REPLICA)));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(obs.observation()).verdict());
  }

  @Test
  void noRecordedPrimaryIsNotAFailure() {
    var obs = Fixture.healthy(2, 100).status(s -> s.setCurrentPrimary(null));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(obs.observation()).verdict());
  }
}
