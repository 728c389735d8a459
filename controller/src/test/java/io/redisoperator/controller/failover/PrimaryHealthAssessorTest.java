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
    var obs = Fixture.healthy(3, 100).change(0, i -> Fixture.silent(i, 1, PollFailure.TIMEOUT, LAST));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(obs.observation()).verdict());
  }

  @Test
  void thresholdOfTimeoutsFailsWithoutProof() {
    var obs = Fixture.healthy(3, 100).change(0, i -> Fixture.silent(i, 3, PollFailure.TIMEOUT, LAST))
        .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)))
        .change(2, i -> Fixture.reporting(i, s -> s.master(ip(0), true, 5L)));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertFalse(health.deathProven());
    assertEquals(LAST, health.lastContact());
  }

  @Test
  void thresholdComesFromTheSpec() {
    var obs = Fixture.healthy(3, 100)
        .spec(s -> s.getFailover().setFailureThreshold(5))
        .change(0, i -> Fixture.silent(i, 4, PollFailure.TIMEOUT, LAST))
        .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(obs.observation()).verdict());
  }

  @Test
  void replicaStillReceivingTheStreamKeepsASilentPrimarySuspect() {
    var obs = Fixture.healthy(3, 100).change(0, i -> Fixture.silent(i, 10, PollFailure.TIMEOUT, LAST));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.SUSPECT, health.verdict());
    assertTrue(health.reason().contains("still receives"), health.reason());
  }

  @Test
  void missingPodFailsAtOnceWithProof() {
    var obs = Fixture.healthy(3, 100).remove(0);
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertTrue(health.deathProven());
  }

  @Test
  void terminatingPodWithSilentAgentIsProvenDead() {
    var obs = Fixture.healthy(3, 100)
        .change(0, i -> Fixture.silent(Fixture.phase(i, PodPhase.TERMINATING), 1, PollFailure.TIMEOUT, LAST));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertTrue(health.deathProven());
  }

  @Test
  void terminatingPodWhoseRedisStillWritesIsNotProof() {
    var obs = Fixture.healthy(3, 100).change(0, i -> Fixture.phase(i, PodPhase.TERMINATING));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertFalse(health.deathProven());
  }

  @Test
  void redisReportedDownByTheAgentFailsAtOnceWithProof() {
    var obs = Fixture.healthy(3, 100).change(0, i -> Fixture.reporting(i, s -> s.redisUp(false)));
    PrimaryHealth health = PrimaryHealthAssessor.assess(obs.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertTrue(health.deathProven());
  }

  @Test
  void twoRefusedConnectionsAreProofButOneIsNot() {
    var once = Fixture.healthy(2, 100).change(0, i -> Fixture.silent(i, 1, PollFailure.CONNECTION_REFUSED, LAST))
        .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(once.observation()).verdict());
    var twice = once.change(0, i -> Fixture.silent(i, 2, PollFailure.CONNECTION_REFUSED, LAST));
    PrimaryHealth health = PrimaryHealthAssessor.assess(twice.observation());
    assertEquals(Verdict.FAILED, health.verdict());
    assertTrue(health.deathProven());
  }

  @Test
  void recordedPrimaryReportingReplicaIsSuspectNotFailed() {
    var obs = Fixture.healthy(2, 100).change(0, i -> Fixture.reporting(i, s -> s.role(InstanceRole.REPLICA)));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(obs.observation()).verdict());
  }

  @Test
  void noRecordedPrimaryIsNotAFailure() {
    var obs = Fixture.healthy(2, 100).status(s -> s.setCurrentPrimary(null));
    assertEquals(Verdict.SUSPECT, PrimaryHealthAssessor.assess(obs.observation()).verdict());
  }
}
