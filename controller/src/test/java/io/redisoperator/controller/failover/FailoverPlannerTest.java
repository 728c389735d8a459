package io.redisoperator.controller.failover;

import static io.redisoperator.controller.failover.Fixture.NOW;
import static io.redisoperator.controller.failover.Fixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverPlannerTest {

  private static List<FailoverDecision> next(Fixture fixture) {
    return FailoverPlanner.next(fixture.observation());
  }

  private static <T extends FailoverDecision> T only(Class<T> type, Fixture fixture) {
    List<FailoverDecision> steps = next(fixture);
    assertEquals(1, steps.size(), steps.toString());
    return assertInstanceOf(type, steps.get(0));
  }

  /**
   * c-0's redis-server killed (its agent saw the process exit); c-1 at 900, c-2 at 950, links down.
   */
  private static Fixture redisKilled() {
    return Fixture.healthy(3, 1000)
        .change(0, i -> Fixture.reporting(i, s -> s.redisUp(false).processRunning(false)))
        .change(1, i -> Fixture.reporting(i, s -> s.offset(900).master(ip(0), false, -1L)))
        .change(2, i -> Fixture.reporting(i, s -> s.offset(950).master(ip(0), false, -1L)));
  }

  /** c-0 partitioned away: 3 timeouts since it was last seen at {@code lastSeenMillisAgo}. */
  private static Fixture partitioned(long lastSeenMillisAgo) {
    return Fixture.healthy(3, 1000)
        .change(
            0, i -> Fixture.silent(i, 3, PollFailure.TIMEOUT, NOW.minusMillis(lastSeenMillisAgo)))
        .change(1, i -> Fixture.reporting(i, s -> s.offset(1000).master(ip(0), true, 4L)))
        .change(2, i -> Fixture.reporting(i, s -> s.offset(990).master(ip(0), true, 4L)));
  }

  @Test
  void aHealthyClusterNeedsNothing() {
    assertEquals(List.of(), next(Fixture.healthy(3, 1000)));
  }

  @Test
  void aSuspectPrimaryIsOnlyWatched() {
    var fixture =
        Fixture.healthy(3, 1000).change(0, i -> Fixture.silent(i, 1, PollFailure.TIMEOUT, NOW));
    assertEquals("c-0", only(FailoverDecision.Watch.class, fixture).pod());
  }

  @Test
  void aFailedPrimaryIsFencedBeforeAnythingElse() {
    var fence = only(FailoverDecision.Fence.class, redisKilled());
    assertEquals("c-0", fence.pod());
    assertTrue(fence.reason().contains("process exited"), fence.reason());
  }

  @Test
  void withNobodyToPromoteTheFailedPrimaryIsNotFenced() {
    var fixture =
        Fixture.healthy(1, 1000)
            .change(0, i -> Fixture.reporting(i, s -> s.redisUp(false).processRunning(false)));
    only(FailoverDecision.AwaitCandidate.class, fixture);
  }

  @Test
  void onceFencedAProvenDeadPrimaryIsReplacedAtOnceByTheMostAdvancedReplica() {
    var fixture = redisKilled().status(s -> s.getFencedInstances().add("c-0"));
    var promote = only(FailoverDecision.Promote.class, fixture);
    assertEquals(new Candidate("c-2", ip(2), 2, Fixture.REPLID, 950), promote.candidate());
    assertEquals("c-0", promote.oldPrimary());
    // Its agent answers: it confirms the fence before the promotion, so a Redis it restarts starts
    // fenced.
    assertEquals(List.of("c-0"), promote.fenceFirst());
  }

  @Test
  void aFenceTheOldPrimaryAlreadyAppliedIsNotSentAgain() {
    var fixture =
        redisKilled()
            .status(s -> s.getFencedInstances().add("c-0"))
            .change(0, i -> Fixture.reporting(i, s -> s.fenced(true)));
    assertEquals(List.of(), only(FailoverDecision.Promote.class, fixture).fenceFirst());
  }

  @Test
  void aBusyRedisIsReplacedOnlyOnceItsAgentAcknowledgesTheFence() {
    // c-0's Redis has not answered INFO for three polls, its process runs: no proof, the agent
    // still answers.
    var fenced =
        redisKilled()
            .change(0, i -> Fixture.redisUnanswered(i, 3))
            .status(s -> s.getFencedInstances().add("c-0"))
            .warnedSince("c-0", NOW.minusSeconds(60));
    var wait = only(FailoverDecision.AwaitPromotionSafety.class, fenced);
    assertTrue(wait.reason().contains("c-0"), wait.reason());
    // However long it takes: time alone proves nothing while the agent answers (it is in contact,
    // so never isolated).
    only(FailoverDecision.AwaitPromotionSafety.class, fenced.at(NOW.plusSeconds(60)));
    var acknowledged = fenced.change(0, i -> Fixture.reporting(i, s -> s.fenced(true)));
    assertEquals("c-2", only(FailoverDecision.Promote.class, acknowledged).candidate().podName());
  }

  @Test
  void aPartitionedPrimaryIsReplacedOnlyAfterItsSelfFencingBound() {
    var early =
        partitioned(3000)
            .status(s -> s.getFencedInstances().add("c-0"))
            .warnedSince("c-0", NOW.minusSeconds(60));
    var wait = only(FailoverDecision.AwaitPromotionSafety.class, early);
    assertEquals(
        NOW.minusMillis(3000).plusMillis(1000).plus(PromotionGate.promotionSafeAfter()),
        wait.notBefore());

    var late = early.at(wait.notBefore());
    assertEquals("c-1", only(FailoverDecision.Promote.class, late).candidate().podName());
  }

  @Test
  void aFencedPrimaryThatAnswersUnfencedIsFencedAgainBeforeAnyPromotion() {
    var fixture = Fixture.healthy(3, 1000).status(s -> s.getFencedInstances().add("c-0"));
    assertEquals("c-0", only(FailoverDecision.Fence.class, fixture).pod());
  }

  @Test
  void aPromotedTargetIsRecordedFirst() {
    var fixture =
        redisKilled()
            .status(
                s -> {
                  s.getFencedInstances().add("c-0");
                  s.setTargetPrimary("c-2");
                })
            .change(
                2,
                i ->
                    Fixture.reporting(
                        i,
                        s ->
                            s.role(InstanceRole.PRIMARY)
                                .replId(Fixture.OTHER_REPLID)
                                .master(null, null, null)));
    var record = only(FailoverDecision.RecordPrimary.class, fixture);
    assertEquals("c-2", record.pod());
    assertEquals("c-0", record.formerPrimary());
  }

  @Test
  void aTargetThatWasFencedMeanwhileIsNeverRecorded() {
    var fixture =
        redisKilled()
            .status(
                s -> {
                  s.getFencedInstances().add("c-0");
                  s.getFencedInstances().add("c-2");
                  s.setTargetPrimary("c-2");
                })
            .change(
                2,
                i ->
                    Fixture.reporting(
                        i, s -> s.role(InstanceRole.PRIMARY).master(null, null, null)));
    assertEquals("c-2", only(FailoverDecision.Fence.class, fixture).pod());
  }

  @Test
  void operatorRestartedBetweenFenceAndPromoteResumesFromStatus() {
    // Fresh pod actors: no lastSeen for the old primary; status says c-0 fenced and c-1 was the
    // chosen target.
    var fixture =
        partitioned(0)
            .change(0, i -> Fixture.silent(i, 3, PollFailure.TIMEOUT, null))
            .status(
                s -> {
                  s.getFencedInstances().add("c-0");
                  s.setTargetPrimary("c-1");
                })
            .warnedSince("c-0", NOW.minusMillis(2000));
    var wait = only(FailoverDecision.AwaitPromotionSafety.class, fixture);
    assertEquals(NOW.minusMillis(2000).plus(PromotionGate.promotionSafeAfter()), wait.notBefore());
    // Two more failed polls, two seconds later: the estimate of the first failure has not moved,
    // the bound passed.
    var later =
        fixture
            .at(NOW.plusMillis(2000))
            .change(0, i -> Fixture.silent(i, 5, PollFailure.TIMEOUT, null));
    assertEquals("c-1", only(FailoverDecision.Promote.class, later).candidate().podName());
  }

  @Test
  void aTargetWhosePromotionMayHaveHappenedIsNeverBypassedEarly() {
    // c-1 was chosen, then went silent: it may be a writable primary now. c-2 must wait for c-1's
    // bound.
    var fixture =
        redisKilled()
            .status(
                s -> {
                  s.getFencedInstances().add("c-0");
                  s.setTargetPrimary("c-1");
                })
            .change(1, i -> Fixture.silent(i, 1, PollFailure.TIMEOUT, NOW.minusMillis(1500)));
    var wait = only(FailoverDecision.AwaitPromotionSafety.class, fixture);
    assertTrue(wait.reason().contains("c-1"), wait.reason());
    var promote = only(FailoverDecision.Promote.class, fixture.at(wait.notBefore()));
    assertEquals("c-2", promote.candidate().podName());
  }

  /** After RecordPrimary: c-2 is primary, c-0 is still fenced in status. */
  private static Fixture afterRecord() {
    return Fixture.healthy(3, 1000)
        .status(
            s -> {
              s.getFencedInstances().add("c-0");
              s.setCurrentPrimary("c-2");
              s.setTargetPrimary("c-2");
            })
        .put(Fixture.primary(2, 1200))
        .change(0, i -> Fixture.reporting(i, s -> s.fenced(true)))
        .change(1, i -> Fixture.reporting(i, s -> s.offset(1000).master(ip(0), false, -1L)));
  }

  @Test
  void afterRecordingTheOthersAndTheFencedFormerPrimaryArePointedAtTheNewPrimary() {
    List<FailoverDecision> steps = next(afterRecord());
    assertEquals(
        List.of(
            new FailoverDecision.Repoint("c-0", "c-2", ip(2), 6379),
            new FailoverDecision.Repoint("c-1", "c-2", ip(2), 6379)),
        steps);
  }

  /**
   * A switchover to c-2 recorded at {@code recordedAt}: c-0 handed over and follows c-2, c-1 still
   * follows c-0 (linked, so it receives every write through it).
   */
  private static Fixture afterSwitchover(Instant recordedAt) {
    return Fixture.healthy(3, 1000)
        .status(
            s -> {
              s.setCurrentPrimary("c-2");
              s.setTargetPrimary("c-2");
              s.setCurrentPrimaryTimestamp(recordedAt.toString());
            })
        .put(Fixture.primary(2, 1200))
        .change(
            0, i -> Fixture.reporting(i, s -> s.role(InstanceRole.REPLICA).master(ip(2), true, 0L)))
        .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), true, 0L)));
  }

  @Test
  void aReplicaChainedThroughTheHandedOverPrimaryIsRepointedOnlyOnceClientsHadTimeToMove() {
    Instant recorded = NOW.minusMillis(500);
    Instant settled = recorded.plus(ReplicationRepair.CHAIN_SETTLE);
    assertEquals(
        List.of(new FailoverDecision.AwaitRepoint("c-1", settled)),
        next(afterSwitchover(recorded)));
    assertEquals(
        List.of(new FailoverDecision.Repoint("c-1", "c-2", ip(2), 6379)),
        next(afterSwitchover(recorded).at(settled)));
  }

  @Test
  void aChainedReplicaWhoseLinkIsDownIsRepointedAtOnce() {
    assertEquals(
        List.of(new FailoverDecision.Repoint("c-1", "c-2", ip(2), 6379)),
        next(
            afterSwitchover(NOW)
                .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)))));
  }

  @Test
  void aReplicaOfAFencedFormerPrimaryIsRepointedAtOnce() {
    // A failover's former primary is fenced: nothing vouches that it still streams the writes.
    assertEquals(
        List.of(new FailoverDecision.Repoint("c-1", "c-2", ip(2), 6379)),
        next(
            afterSwitchover(NOW)
                .status(s -> s.getFencedInstances().add("c-0"))
                .change(0, i -> Fixture.reporting(i, s -> s.master(ip(2), false, -1L)))));
  }

  @Test
  void theFenceIsLiftedOnlyOnceTheFormerPrimaryReplicatesFromTheNewOne() {
    var syncing =
        afterRecord()
            .change(
                0,
                i ->
                    Fixture.reporting(
                        i, s -> s.role(InstanceRole.REPLICA).master(ip(2), false, -1L)))
            .change(1, i -> Fixture.reporting(i, s -> s.master(ip(2), true, 0L)));
    assertEquals(List.of(), next(syncing));

    var linked = syncing.change(0, i -> Fixture.reporting(i, s -> s.master(ip(2), true, 0L)));
    var unfence = only(FailoverDecision.Unfence.class, linked);
    assertEquals("c-0", unfence.pod());
  }

  @Test
  void aUserFencedInstanceKeepsItsFence() {
    var linked =
        afterRecord()
            .userFenced("c-0")
            .change(
                0,
                i ->
                    Fixture.reporting(i, s -> s.role(InstanceRole.REPLICA).master(ip(2), true, 0L)))
            .change(1, i -> Fixture.reporting(i, s -> s.master(ip(2), true, 0L)));
    assertEquals(List.of(), next(linked));
    assertEquals(List.of(), next(linked.userFenced("*")), "'*' keeps it too");
  }

  @Test
  void everyInstanceFencedByAStarKeepsItsFence() {
    var linked =
        afterRecord()
            .userFenced("*")
            .change(
                0,
                i ->
                    Fixture.reporting(i, s -> s.role(InstanceRole.REPLICA).master(ip(2), true, 0L)))
            .change(1, i -> Fixture.reporting(i, s -> s.master(ip(2), true, 0L)));
    assertEquals(List.of(), next(linked), "no unfence to flap against the fence sync");
  }

  @Test
  void aRoguePrimaryIsFencedAlone() {
    var fixture =
        Fixture.healthy(3, 1000)
            .change(
                2,
                i ->
                    Fixture.reporting(
                        i, s -> s.role(InstanceRole.PRIMARY).master(null, null, null)))
            .change(1, i -> Fixture.reporting(i, s -> s.master("127.0.20.99", true, 0L)));
    assertEquals("c-2", only(FailoverDecision.Fence.class, fixture).pod());
  }

  @Test
  void withNobodyToPromoteAFencedPrimaryThatCameBackIsUnfenced() {
    var fixture =
        Fixture.healthy(2, 1000)
            .status(s -> s.getFencedInstances().add("c-0"))
            .change(0, i -> Fixture.reporting(i, s -> s.fenced(true)))
            .change(
                1,
                i ->
                    Fixture.phase(
                        Fixture.silent(i, 5, PollFailure.NO_ADDRESS, null), PodPhase.PENDING));
    assertEquals("c-0", only(FailoverDecision.Abandon.class, fixture).pod());
  }

  @Test
  void aFailoverIsAbandonedOnlyOnceATargetThatMayHaveBeenPromotedIsPastItsBound() {
    // c-1 was the target; its promote timed out and it went silent: it may be a writable primary
    // now.
    Instant targetLastSeen = NOW.minusMillis(2000);
    var fixture =
        Fixture.healthy(2, 1000)
            .status(
                s -> {
                  s.getFencedInstances().add("c-0");
                  s.setTargetPrimary("c-1");
                })
            .change(0, i -> Fixture.reporting(i, s -> s.fenced(true)))
            .change(1, i -> Fixture.silent(i, 2, PollFailure.TIMEOUT, targetLastSeen));
    var wait = only(FailoverDecision.AwaitPromotionSafety.class, fixture);
    assertEquals(
        targetLastSeen.plusMillis(1000).plus(PromotionGate.promotionSafeAfter()), wait.notBefore());
    assertEquals("c-0", only(FailoverDecision.Abandon.class, fixture.at(wait.notBefore())).pod());
  }

  @Test
  void aFailoverIsNotAbandonedWhileTheTargetAnswersAsAPrimary() {
    // c-1 is fenced meanwhile (so it cannot be recorded) but answers as a writable primary: fence
    // it first.
    var fixture =
        Fixture.healthy(2, 1000)
            .status(
                s -> {
                  s.getFencedInstances().add("c-0");
                  s.getFencedInstances().add("c-1");
                  s.setTargetPrimary("c-1");
                })
            .change(0, i -> Fixture.reporting(i, s -> s.fenced(true)))
            .put(Fixture.primary(1, 1200));
    assertEquals("c-1", only(FailoverDecision.Fence.class, fixture).pod());
  }

  @Test
  void aFencedOldPrimaryWithMoreDataIsWaitedForBeforePromoting() {
    // c-0 was cut off, fenced itself, and answers again fenced at 1000; the best replica has only
    // 950.
    var fixture =
        redisKilled()
            .change(
                0,
                i ->
                    Fixture.reporting(
                        i, s -> s.redisUp(true).processRunning(true).fenced(true).offset(1000)))
            .status(s -> s.getFencedInstances().add("c-0"));
    var first = only(FailoverDecision.AwaitCatchUp.class, fixture);
    assertEquals("c-2", first.candidate());
    assertEquals(1000, first.offset());
    Instant targetWritten = NOW.minusMillis(1000);
    var targeted =
        fixture.status(
            s -> {
              s.setTargetPrimary("c-2");
              s.setTargetPrimaryTimestamp(targetWritten.toString());
            });
    var wait = only(FailoverDecision.AwaitCatchUp.class, targeted);
    assertEquals(targetWritten.plus(FailoverPlanner.CATCH_UP_TIMEOUT), wait.until());
    // Never caught up: promoted with what it has once the wait is over.
    assertEquals(
        950,
        only(FailoverDecision.Promote.class, targeted.at(wait.until())).candidate().minOffset());
    // Caught up in time: promoted with the old primary's offset as the guard.
    var caughtUp =
        targeted
            .at(NOW)
            .change(2, i -> Fixture.reporting(i, s -> s.offset(1000).master(ip(0), true, 0L)));
    assertEquals(1000, only(FailoverDecision.Promote.class, caughtUp).candidate().minOffset());
  }

  @Test
  void aFenceOfAPodScaledAwayIsCleared() {
    var fixture = Fixture.healthy(2, 1000).status(s -> s.getFencedInstances().add("c-4"));
    assertEquals(
        List.of(new FailoverDecision.Unfence("c-4", "c-4 was scaled away")), next(fixture));
  }

  @Test
  void theLastAnswerOfADeletedPodIsNotALiveWritablePrimary() {
    // The last observation still says "primary, answering"; the informer says the pod is gone, its
    // address refuses.
    var fixture =
        Fixture.healthy(3, 1000)
            .change(
                0,
                i ->
                    Fixture.silent(
                        Fixture.phase(i, PodPhase.MISSING), 1, PollFailure.CONNECTION_REFUSED, NOW))
            .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)))
            .change(2, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)))
            .status(s -> s.getFencedInstances().add("c-0"));
    assertEquals("c-1", only(FailoverDecision.Promote.class, fixture).candidate().podName());
  }

  /** c-0's pod deleted; the replicas' links to it are down. */
  private static Fixture podDeleted(int failures, PollFailure failure) {
    return Fixture.healthy(3, 1000)
        .change(
            0,
            i ->
                Fixture.deleted(
                    Fixture.silent(i, 0, PollFailure.NONE, NOW.minusMillis(300)),
                    failures,
                    failure))
        .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)))
        .change(2, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L)));
  }

  @Test
  void aPodKilledPrimaryWhoseAddressRefusesFailsOverWithoutWaiting() {
    var fixture = podDeleted(1, PollFailure.CONNECTION_REFUSED);
    only(FailoverDecision.Fence.class, fixture);
    var fenced = fixture.status(s -> s.getFencedInstances().add("c-0"));
    var promote = only(FailoverDecision.Promote.class, fenced);
    assertEquals("c-1", promote.candidate().podName());
    assertEquals(List.of(), promote.fenceFirst(), "nothing answers there to fence");
  }

  @Test
  void aDeletedPrimaryWhoseAddressIsSilentIsReplacedOnlyAfterTheGate() {
    // A force delete of a pod on a partitioned node: the pod object is gone, its processes may
    // still serve.
    var fixture = podDeleted(1, PollFailure.TIMEOUT);
    only(FailoverDecision.Fence.class, fixture);
    var fenced =
        fixture
            .status(s -> s.getFencedInstances().add("c-0"))
            .warnedSince("c-0", NOW.minusSeconds(60));
    var wait = only(FailoverDecision.AwaitPromotionSafety.class, fenced);
    // Counted from the first unanswered poll, sent when it was last seen in this fixture.
    assertEquals(NOW.minusMillis(300).plus(PromotionGate.promotionSafeAfter()), wait.notBefore());
    assertEquals(
        "c-1",
        only(FailoverDecision.Promote.class, fenced.at(wait.notBefore())).candidate().podName());
  }

  @Test
  void aFenceJustWrittenIsGivenTimeToBeReadByAPrimaryThatStillReachesTheApiServer() {
    // Silent for long enough, but the fence went into status only now: a primary cut off from the
    // controller and its
    // replicas but not from the API server reads it (or fences itself for lack of reads) within
    // fenceSeenAfter.
    Instant fencedAt = NOW.minusMillis(1000);
    var fixture =
        partitioned(10_000)
            .status(s -> s.getFencedInstances().add("c-0"))
            .warnedSince("c-0", fencedAt);
    var wait = only(FailoverDecision.AwaitPromotionSafety.class, fixture);
    assertEquals(fencedAt.plus(PromotionGate.fenceSeenAfter()), wait.notBefore());
    assertEquals(
        "c-1",
        only(FailoverDecision.Promote.class, fixture.at(wait.notBefore())).candidate().podName());
  }
}
