package io.redisoperator.controller.failover;

import static io.redisoperator.controller.failover.Fixture.NOW;
import static io.redisoperator.controller.failover.Fixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.SelfFencing;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
  private static final Duration POLL = Duration.ofMillis(1000);
  private static final Duration SAFE = PromotionGate.promotionSafeAfter();

  private static Fixture silentPrimary(Instant lastSeen) {
    return Fixture.healthy(3, 100)
        .change(0, i -> Fixture.silent(i, 3, PollFailure.TIMEOUT, lastSeen))
        .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)))
        .change(2, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)));
  }

  private static PromotionGate.Decision check(Fixture fixture) {
    var obs = fixture.observation();
    return PromotionGate.check(obs, "c-0", PrimaryHealthAssessor.assess(obs), "c-1");
  }

  @Test
  void withoutProofWaitsForTheSelfFencingBoundAfterTheLastPossibleContact() {
    Instant lastSeen = NOW.minusMillis(3000);
    var wait = assertInstanceOf(PromotionGate.WaitUntil.class, check(silentPrimary(lastSeen)));
    assertEquals(lastSeen.plus(POLL).plus(SAFE), wait.at());
    assertEquals("c-0", wait.pod());
  }

  @Test
  void theBoundCoversTheAgentsSelfFence() {
    // Agent: fenced at the latest contact (never dated later than it happened) + ISOLATION + one
    // check; the gate must
    // not be earlier.
    long agentFencedBy = SelfFencing.ISOLATION_MILLIS + SelfFencing.CHECK_INTERVAL_MILLIS;
    assertTrue(SAFE.toMillis() >= agentFencedBy + SelfFencing.SAFETY_MARGIN_MILLIS);
  }

  @Test
  void withoutProofAllowsOnceTheBoundHasPassed() {
    Instant lastSeen = NOW.minus(POLL).minus(SAFE);
    assertInstanceOf(PromotionGate.Allow.class, check(silentPrimary(lastSeen)));
  }

  /**
   * A restarted controller: the primary's pod went while it was down, so it never polled (nor can
   * poll) it.
   */
  private static Fixture neverPolledMissingPrimary(Instant observingSince) {
    return silentPrimary(NOW)
        .change(
            0,
            i ->
                new InstanceObservation(
                    i.podName(),
                    i.ordinal(),
                    PodPhase.MISSING,
                    false,
                    null,
                    null,
                    null,
                    0,
                    PollFailure.NO_ADDRESS,
                    false))
        .status(s -> s.getFencedInstances().add("c-0"))
        .warnedSince("c-0", observingSince)
        .observingSince(observingSince);
  }

  @Test
  void aPrimaryNeverPolledIsBoundedFromWhenTheControllerStartedNotFromNow() {
    Instant started = NOW.minusMillis(1000);
    var wait =
        assertInstanceOf(PromotionGate.WaitUntil.class, check(neverPolledMissingPrimary(started)));
    assertEquals(started.plus(SAFE), wait.at(), "a fixed point: it does not move with every pass");
    assertInstanceOf(
        PromotionGate.Allow.class,
        check(neverPolledMissingPrimary(started).at(started.plus(SAFE))));
  }

  @Test
  void provenDeathAllowsAtOnce() {
    var fixture =
        silentPrimary(NOW.minusMillis(500))
            .change(
                0, i -> Fixture.silent(i, 2, PollFailure.CONNECTION_REFUSED, NOW.minusMillis(500)));
    assertInstanceOf(PromotionGate.Allow.class, check(fixture));
  }

  @Test
  void acknowledgedFenceAllowsAtOnce() {
    var fixture =
        silentPrimary(NOW)
            .change(
                0,
                i ->
                    Fixture.reporting(
                        Fixture.silent(i, 0, PollFailure.NONE, NOW), s -> s.fenced(true)));
    assertInstanceOf(PromotionGate.Allow.class, check(fixture));
  }

  @Test
  void anUnfencedPrimaryAnsweringBlocksUntilFenced() {
    var fixture =
        silentPrimary(NOW.minusSeconds(60))
            .change(
                2,
                i ->
                    Fixture.reporting(
                        i, s -> s.role(InstanceRole.PRIMARY).replId(Fixture.OTHER_REPLID)));
    var fence = assertInstanceOf(PromotionGate.FenceFirst.class, check(fixture));
    assertEquals("c-2", fence.pod());
  }

  @Test
  void aPreviouslyChosenTargetThatWentSilentMayHaveBeenPromoted() {
    Instant targetLastSeen = NOW.minusMillis(1000);
    var fixture =
        silentPrimary(NOW.minusSeconds(60))
            .status(s -> s.setTargetPrimary("c-2"))
            .change(2, i -> Fixture.silent(i, 1, PollFailure.TIMEOUT, targetLastSeen));
    var wait = assertInstanceOf(PromotionGate.WaitUntil.class, check(fixture));
    assertEquals("c-2", wait.pod());
    assertEquals(targetLastSeen.plus(POLL).plus(SAFE), wait.at());
  }

  @Test
  void theBoundCountsFromTheSendTimeOfTheFirstUnansweredPollNotFromTheLastAnswer() {
    // Short interval, and the first poll after the last answer left late (a busy controller): the
    // agent may have
    // received it, so its contact is then, later than lastSeen + interval.
    Instant lastSeen = NOW.minusMillis(3000);
    Instant lateRequest = lastSeen.plusMillis(900);
    var fixture =
        silentPrimary(lastSeen)
            .spec(s -> s.getFailover().setPollIntervalMillis(200))
            .change(0, i -> Fixture.unansweredSince(i, lateRequest));
    var wait = assertInstanceOf(PromotionGate.WaitUntil.class, check(fixture));
    assertEquals(lateRequest.plus(SAFE), wait.at());
  }

  @Test
  void aRecordedFenceDelaysThePromotionUntilASilentPrimaryReachingTheApiServerHasSeenIt() {
    Instant fencedAt = NOW.minusMillis(500);
    var fixture =
        silentPrimary(NOW.minusSeconds(60))
            .status(s -> s.getFencedInstances().add("c-0"))
            .warnedSince("c-0", fencedAt);
    var wait = assertInstanceOf(PromotionGate.WaitUntil.class, check(fixture));
    assertEquals(fencedAt.plus(PromotionGate.fenceSeenAfter()), wait.at());
    assertTrue(
        PromotionGate.fenceSeenAfter().toMillis()
            >= SelfFencing.ISOLATION_MILLIS
                + SelfFencing.CHECK_INTERVAL_MILLIS
                + SelfFencing.SAFETY_MARGIN_MILLIS);
  }

  @Test
  void anUnreachableRecordWrittenAtTheFirstFailedPollBoundsAPrimaryStillReachingTheApiServer() {
    // Recorded unreachable long before the fence: that record, not the fence, is what its reads
    // stop counting from.
    Instant lastSeen = NOW.minusMillis(4000);
    Instant recordedAt = lastSeen.plusMillis(1600);
    var fixture =
        silentPrimary(lastSeen)
            .status(s -> s.getUnreachableInstances().add("c-0"))
            .warnedSince("c-0", recordedAt);
    var wait = assertInstanceOf(PromotionGate.WaitUntil.class, check(fixture));
    // The record is written after the first unanswered poll failed, so its bound ends after the
    // usual one.
    assertTrue(
        recordedAt
            .plus(PromotionGate.fenceSeenAfter())
            .isAfter(lastSeen.plusMillis(1000).plus(SAFE)));
    assertEquals(
        recordedAt.plus(PromotionGate.fenceSeenAfter()), wait.at(), "the record's bound decides");

    Instant lateRecord = lastSeen.plusMillis(3000);
    var slowWrite =
        silentPrimary(lastSeen)
            .status(s -> s.getUnreachableInstances().add("c-0"))
            .warnedSince("c-0", lateRecord);
    var later = assertInstanceOf(PromotionGate.WaitUntil.class, check(slowWrite));
    assertEquals(
        lateRecord.plus(PromotionGate.fenceSeenAfter()),
        later.at(),
        "a record written late delays the gate");
  }

  @Test
  void aDeletedPodIsNoProofWhileItsLastAddressOnlyTimesOut() {
    var timedOut =
        silentPrimary(NOW.minusMillis(200))
            .change(0, i -> Fixture.deleted(i, 1, PollFailure.TIMEOUT));
    assertInstanceOf(PromotionGate.WaitUntil.class, check(timedOut));
    var refused =
        silentPrimary(NOW.minusMillis(200))
            .change(0, i -> Fixture.deleted(i, 1, PollFailure.CONNECTION_REFUSED));
    assertInstanceOf(PromotionGate.Allow.class, check(refused));
  }

  @Test
  void withoutAnyContactSinceTheOperatorStartedTheFirstFailedPollIsTheBound() {
    var fixture =
        silentPrimary(null).change(0, i -> Fixture.silent(i, 3, PollFailure.TIMEOUT, null));
    var wait = assertInstanceOf(PromotionGate.WaitUntil.class, check(fixture));
    assertEquals(NOW.minus(POLL.multipliedBy(2)).plus(SAFE), wait.at());
  }
}
