package io.redisoperator.controller.rollout;

import static io.redisoperator.controller.failover.Fixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.failover.Fixture;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.PrimaryUpdateStrategy;
import io.redisoperator.protocol.naming.Annotations;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {

  private static RolloutDecision next(Fixture fixture) {
    return RolloutPlanner.next(fixture.observation());
  }

  /** c-0 primary; every pod outdated. */
  private static Fixture allOutdated(int count) {
    Fixture fixture = Fixture.healthy(count, 1000);
    for (int n = 0; n < count; n++) {
      fixture.change(n, Fixture::outdated);
    }
    return fixture;
  }

  @Test
  void nothingOutdatedIsDone() {
    assertInstanceOf(RolloutDecision.Done.class, next(Fixture.healthy(3, 1000)));
  }

  @Test
  void replicasGoFirstHighestOrdinalFirst() {
    assertEquals(new RolloutDecision.RecreateReplica("c-2"), next(allOutdated(3)));
    var secondRound = allOutdated(3).change(2, i -> Fixture.replica(2, 0, 1000));
    assertEquals(new RolloutDecision.RecreateReplica("c-1"), next(secondRound));
  }

  @Test
  void theNextWaitsUntilTheRecreatedOneIsCreatedReadyLinkedAndCaughtUp() {
    var missing = allOutdated(3).remove(2);
    assertEquals("c-2", assertInstanceOf(RolloutDecision.WaitFor.class, next(missing)).pod());

    var pending =
        allOutdated(3).change(2, i -> Fixture.phase(Fixture.replica(2, 0, 0), PodPhase.PENDING));
    assertEquals("c-2", assertInstanceOf(RolloutDecision.WaitFor.class, next(pending)).pod());

    var notReady = allOutdated(3).change(2, i -> Fixture.ready(Fixture.replica(2, 0, 1000), false));
    assertTrue(
        assertInstanceOf(RolloutDecision.WaitFor.class, next(notReady))
            .reason()
            .contains("not Ready"));

    var unlinked =
        allOutdated(3)
            .change(
                2,
                i ->
                    Fixture.reporting(
                        Fixture.replica(2, 0, 1000), s -> s.master(ip(0), false, -1L)));
    assertTrue(
        assertInstanceOf(RolloutDecision.WaitFor.class, next(unlinked))
            .reason()
            .contains("not linked"));

    var behind =
        allOutdated(3)
            .put(Fixture.outdated(Fixture.primary(0, 10_000_000)))
            .change(2, i -> Fixture.replica(2, 0, 5));
    assertTrue(
        assertInstanceOf(RolloutDecision.WaitFor.class, next(behind))
            .reason()
            .contains("bytes behind"));
  }

  @Test
  void thePrimaryGoesLastBySwitchoverToTheMostCaughtUpReplica() {
    var fixture =
        Fixture.healthy(3, 1000)
            .change(0, Fixture::outdated)
            .change(1, i -> Fixture.reporting(i, s -> s.offset(980)))
            .change(2, i -> Fixture.reporting(i, s -> s.offset(995)));
    var step = assertInstanceOf(RolloutDecision.SwitchoverPrimary.class, next(fixture));
    assertEquals("c-2", step.plan().target());
    assertEquals("c-0", step.plan().primary());
  }

  @Test
  void aReplicaBehindOnlyAsOfAnOldAnswerIsPolledAgainNotWaitedOn() {
    // Long-polled replicas' offsets are as old as their last answers: 5 s, while the primary took
    // 100 MB since. Waiting on them held the update until a pass happened to follow a fresh answer.
    var held =
        Fixture.healthy(3, 100_000_000)
            .change(0, Fixture::outdated)
            .change(
                1,
                i ->
                    Fixture.seenAt(
                        Fixture.reporting(i, s -> s.offset(5)), Fixture.NOW.minusSeconds(5)))
            .change(
                2,
                i ->
                    Fixture.seenAt(
                        Fixture.reporting(i, s -> s.offset(9)), Fixture.NOW.minusSeconds(5)));
    var poll = assertInstanceOf(RolloutDecision.PollCandidate.class, next(held));
    assertEquals("c-1", poll.pod(), "replicas settle in ordinal order");
    assertTrue(poll.reason().contains("bytes behind"), poll.reason());

    var fresh =
        Fixture.healthy(3, 100_000_000)
            .change(0, Fixture::outdated)
            .change(1, i -> Fixture.reporting(i, s -> s.offset(5)))
            .change(2, i -> Fixture.reporting(i, s -> s.offset(9)));
    assertTrue(
        assertInstanceOf(RolloutDecision.WaitFor.class, next(fresh))
            .reason()
            .contains("bytes behind"));
  }

  @Test
  void supervisedWaitsForApprovalBeforeThePrimary() {
    var fixture =
        Fixture.healthy(3, 1000)
            .spec(s -> s.setPrimaryUpdateStrategy(PrimaryUpdateStrategy.SUPERVISED))
            .change(0, Fixture::outdated);
    assertInstanceOf(RolloutDecision.AwaitApproval.class, next(fixture));
    fixture.annotate(Annotations.APPROVE_PRIMARY_UPDATE, "false");
    assertInstanceOf(RolloutDecision.AwaitApproval.class, next(fixture));
    fixture.annotate(Annotations.APPROVE_PRIMARY_UPDATE, "true");
    assertInstanceOf(RolloutDecision.SwitchoverPrimary.class, next(fixture));
  }

  @Test
  void supervisedStillUpdatesReplicasWithoutApproval() {
    var fixture =
        allOutdated(3).spec(s -> s.setPrimaryUpdateStrategy(PrimaryUpdateStrategy.SUPERVISED));
    assertEquals(new RolloutDecision.RecreateReplica("c-2"), next(fixture));
  }

  @Test
  void theFormerPrimaryIsRecreatedAsAReplicaLast() {
    var fixture =
        Fixture.healthy(3, 1000)
            .status(
                s -> {
                  s.setCurrentPrimary("c-2");
                  s.setTargetPrimary("c-2");
                })
            .put(Fixture.primary(2, 1000))
            .put(Fixture.outdated(Fixture.replica(0, 2, 1000)))
            .put(Fixture.replica(1, 2, 1000));
    assertEquals(new RolloutDecision.RecreateFormerPrimary("c-0"), next(fixture));
  }

  @Test
  void nothingIsRestartedDuringAFailover() {
    var fixture = allOutdated(3).status(s -> s.getFencedInstances().add("c-0"));
    assertInstanceOf(RolloutDecision.WaitFor.class, next(fixture));
  }

  @Test
  void withoutASuitableReplicaThePrimaryWaits() {
    var fixture =
        Fixture.healthy(2, 1000)
            .change(0, Fixture::outdated)
            .change(
                1,
                i ->
                    Fixture.reporting(
                        i, s -> s.role(InstanceRole.REPLICA).replId(Fixture.OTHER_REPLID)));
    var wait = assertInstanceOf(RolloutDecision.WaitFor.class, next(fixture));
    assertTrue(wait.reason().contains("no replica can take over"), wait.reason());
  }

  @Test
  void aSingleInstanceIsRecreatedInPlace() {
    assertEquals(new RolloutDecision.RecreateSoleInstance("c-0"), next(allOutdated(1)));
  }
}
