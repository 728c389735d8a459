package io.redisoperator.controller.failover;

import static io.redisoperator.controller.failover.Fixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.naming.Annotations;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwitchoverPlannerTest {

  private static String refusal(Fixture fixture, String target) {
    return assertInstanceOf(
            SwitchoverPlanner.Refuse.class, SwitchoverPlanner.plan(fixture.observation(), target))
        .reason();
  }

  @Test
  void theAnnotationNamesTheTarget() {
    var fixture = Fixture.healthy(3, 1000).annotate(Annotations.SWITCHOVER_TO, " c-2 ");
    assertEquals(Optional.of("c-2"), SwitchoverPlanner.requestedTarget(fixture.observation()));
  }

  @Test
  void statusTargetPrimaryNamesTheTargetOutsideAFailover() {
    var fixture = Fixture.healthy(3, 1000).status(s -> s.setTargetPrimary("c-1"));
    assertEquals(Optional.of("c-1"), SwitchoverPlanner.requestedTarget(fixture.observation()));
    fixture.status(s -> s.getFencedInstances().add("c-0"));
    assertEquals(Optional.empty(), SwitchoverPlanner.requestedTarget(fixture.observation()));
  }

  @Test
  void aLinkedCaughtUpReplicaIsAccepted() {
    var fixture = Fixture.healthy(3, 1000).change(2, i -> Fixture.reporting(i, s -> s.offset(990)));
    var plan =
        assertInstanceOf(
                SwitchoverPlanner.Proceed.class,
                SwitchoverPlanner.plan(fixture.observation(), "c-2"))
            .plan();
    assertEquals(
        new SwitchoverPlan(
            "c-0", ip(0), "c-2", ip(2), 10, SwitchoverPlanner.HANDOFF_TIMEOUT_MILLIS),
        plan);
    assertEquals(
        new SwitchoverRequest(ip(2), 6379, SwitchoverPlanner.HANDOFF_TIMEOUT_MILLIS),
        plan.request());
  }

  @Test
  void theCurrentPrimaryIsAlreadyPrimary() {
    assertInstanceOf(
        SwitchoverPlanner.AlreadyPrimary.class,
        SwitchoverPlanner.plan(Fixture.healthy(2, 1).observation(), "c-0"));
  }

  @Test
  void unsuitableTargetsAreRefusedWithTheReason() {
    assertTrue(refusal(Fixture.healthy(2, 1), "c-7").contains("does not exist"));
    assertTrue(
        refusal(
                Fixture.healthy(2, 1)
                    .change(1, i -> Fixture.silent(i, 1, PollFailure.TIMEOUT, null)),
                "c-1")
            .contains("does not answer"));
    assertTrue(refusal(Fixture.healthy(2, 1).userFenced("c-1"), "c-1").contains("fenced"));
    assertTrue(
        refusal(Fixture.healthy(2, 1).userFenced("*"), "c-1").contains("fenced"),
        "'*' fences every target");
    assertTrue(
        refusal(
                Fixture.healthy(2, 1)
                    .change(1, i -> Fixture.reporting(i, s -> s.master(ip(0), false, -1L))),
                "c-1")
            .contains("not linked"));
    assertTrue(
        refusal(
                Fixture.healthy(2, 1)
                    .change(1, i -> Fixture.reporting(i, s -> s.replId(Fixture.OTHER_REPLID))),
                "c-1")
            .contains("another replication history"));
    assertTrue(
        refusal(
                Fixture.healthy(2, 100_000_000)
                    .change(1, i -> Fixture.reporting(i, s -> s.offset(5))),
                "c-1")
            .contains("bytes behind"));
    assertTrue(
        refusal(
                Fixture.healthy(3, 1)
                    .change(
                        1,
                        i ->
                            Fixture.reporting(
                                i, s -> s.role(InstanceRole.PRIMARY).master(null, null, null))),
                "c-1")
            .contains("not a replica"));
  }

  @Test
  void noSwitchoverFromAnUnservingOrFencedPrimary() {
    assertTrue(
        refusal(
                Fixture.healthy(2, 1)
                    .change(0, i -> Fixture.silent(i, 1, PollFailure.TIMEOUT, null)),
                "c-1")
            .contains("not answering"));
    assertTrue(
        refusal(Fixture.healthy(2, 1).status(s -> s.getFencedInstances().add("c-0")), "c-1")
            .contains("failover"));
    assertTrue(
        refusal(
                Fixture.healthy(2, 1).change(0, i -> Fixture.reporting(i, s -> s.fenced(true))),
                "c-1")
            .contains("fenced"));
  }

  @Test
  void aTargetBehindOnlyAsOfAnOldAnswerIsPolledAgainBeforeItIsRefused() {
    // A long-polled replica's offset is as old as its last answer: 5 s, while the primary took
    // 100 MB since. Refused on it, the switchover waited for the hold's end, or gave up.
    var held =
        Fixture.healthy(3, 100_000_000)
            .change(
                1,
                i ->
                    Fixture.seenAt(
                        Fixture.reporting(i, s -> s.offset(5)), Fixture.NOW.minusSeconds(5)));
    var poll =
        assertInstanceOf(
            SwitchoverPlanner.PollTargetFirst.class,
            SwitchoverPlanner.plan(held.observation(), "c-1"));
    assertEquals("c-1", poll.target());
    assertTrue(poll.reason().contains("polling it again"), poll.reason());

    var fresh =
        Fixture.healthy(3, 100_000_000).change(1, i -> Fixture.reporting(i, s -> s.offset(5)));
    var final_ =
        assertInstanceOf(
            SwitchoverPlanner.Refuse.class,
            SwitchoverPlanner.plan(fresh.observation(), "c-1"),
            "an answer as fresh as the primary's: refused on it");
    assertTrue(final_.reason().contains("bytes behind"), final_.reason());

    var caughtUp =
        Fixture.healthy(3, 100_000_000)
            .change(1, i -> Fixture.seenAt(i, Fixture.NOW.minusSeconds(5)));
    assertInstanceOf(
        SwitchoverPlanner.Proceed.class,
        SwitchoverPlanner.plan(caughtUp.observation(), "c-1"),
        "an old answer that is not behind is no reason to wait");
  }
}
