package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  @org.junit.jupiter.api.BeforeEach
  void longPollOn() {
    System.setProperty(PollSchedule.LONG_POLL_PROPERTY, "true");
  }

  @org.junit.jupiter.api.AfterEach
  void longPollDefault() {
    System.clearProperty(PollSchedule.LONG_POLL_PROPERTY);
  }

  @Test
  void onByDefault() {
    System.clearProperty(PollSchedule.LONG_POLL_PROPERTY);
    assertEquals(
        "v.1",
        PollSchedule.next(status(InstanceRole.REPLICA, true), "v.1", false, INTERVAL).since());
  }

  @Test
  void switchedOffNothingIsHeld() {
    System.setProperty(PollSchedule.LONG_POLL_PROPERTY, "false");
    assertNull(
        PollSchedule.next(status(InstanceRole.REPLICA, true), "v.1", false, INTERVAL).since());
  }

  private static InstanceStatus status(InstanceRole role, boolean redisUp) {
    return InstanceStatus.builder("c-0")
        .role(role)
        .redisUp(redisUp)
        .connectedReplicas(List.of())
        .secretVersions(Map.of())
        .agentUptimeSeconds(1)
        .redisProcessRunning(redisUp)
        .build();
  }

  @Test
  void aPrimaryIsNeverHeldItsPollsAreItsContactAndTheGatesEvidence() {
    assertNull(
        PollSchedule.next(status(InstanceRole.PRIMARY, true), "v.1", false, INTERVAL).since());
    assertNull(
        PollSchedule.next(status(InstanceRole.UNKNOWN, false), "v.1", false, INTERVAL).since());
  }

  @Test
  void anOverdueTimerHandledLateWaitsAsLongAgainAndPastThePollsTimeoutLeavesItToTheTimeout() {
    Duration timeout = Duration.ofMillis(800);
    assertEquals(
        new PollSchedule.OverdueStep.Report(),
        PollSchedule.overdueStep(Duration.ofMillis(10), Duration.ofMillis(260), timeout, false),
        "handled on time: reported at once, as before");
    assertEquals(
        new PollSchedule.OverdueStep.Wait(Duration.ofMillis(200)),
        PollSchedule.overdueStep(Duration.ofMillis(200), Duration.ofMillis(450), timeout, false));
    // A timer handled 500 ms late, 770 ms after its poll (a start-up of 1000 clusters): the answer
    // read 40 ms later was reported unanswered first, a status write and its removal.
    assertEquals(
        new PollSchedule.OverdueStep.Skip(),
        PollSchedule.overdueStep(Duration.ofMillis(500), Duration.ofMillis(770), timeout, false),
        "past the poll's timeout the poll's own watched timeout decides");
  }

  @Test
  void anOverduePollIsLeftToItsTimeoutWhileTheControllersAnswersAreSlow() {
    assertEquals(
        new PollSchedule.OverdueStep.Skip(),
        PollSchedule.overdueStep(
            Duration.ofMillis(5), Duration.ofMillis(255), Duration.ofMillis(800), true));
  }

  @Test
  void anAnsweringPrimaryIsPolledEveryHalfIntervalAndAtTheIntervalOnceAPollFailed() {
    assertEquals(
        Duration.ofMillis(500),
        PollSchedule.plainInterval(status(InstanceRole.PRIMARY, true), false, INTERVAL, false));
    assertEquals(
        INTERVAL,
        PollSchedule.plainInterval(status(InstanceRole.PRIMARY, true), true, INTERVAL, false),
        "failed polls keep the interval: the failure threshold spans what it always did");
    assertEquals(
        INTERVAL,
        PollSchedule.plainInterval(status(InstanceRole.REPLICA, true), false, INTERVAL, false));
    assertEquals(INTERVAL, PollSchedule.plainInterval(null, false, INTERVAL, false));
  }

  @Test
  void whileFirstContactsWaitAPodThatAnsweredAndShowsNothingWrongIsPolledAtTheBacklogPace() {
    Duration paced = INTERVAL.multipliedBy(PollSchedule.BACKLOG_INTERVALS);
    assertEquals(
        paced,
        PollSchedule.plainInterval(status(InstanceRole.PRIMARY, true), false, INTERVAL, true),
        "the pods not heard from yet go first");
    InstanceStatus linked =
        status(InstanceRole.REPLICA, true).toBuilder().masterLinkUp(true).build();
    assertEquals(paced, PollSchedule.plainInterval(linked, false, INTERVAL, true));
    assertEquals(
        INTERVAL,
        PollSchedule.plainInterval(status(InstanceRole.REPLICA, true), false, INTERVAL, true),
        "a replica whose link is not up yet keeps its pace: its next step shows as before");
    assertEquals(
        INTERVAL,
        PollSchedule.plainInterval(status(InstanceRole.UNKNOWN, true), false, INTERVAL, true));
    assertEquals(
        INTERVAL,
        PollSchedule.plainInterval(status(InstanceRole.PRIMARY, true), true, INTERVAL, true),
        "a failed poll keeps the interval: the failure threshold spans what it always did");
    assertEquals(
        Duration.ofMillis(500),
        PollSchedule.plainInterval(status(InstanceRole.PRIMARY, false), false, INTERVAL, true),
        "a primary whose Redis does not answer keeps its pace");
    assertEquals(INTERVAL, PollSchedule.plainInterval(null, false, INTERVAL, true));
    assertEquals(
        Duration.ofMillis(500),
        PollSchedule.plainInterval(status(InstanceRole.PRIMARY, true), false, INTERVAL, false),
        "no backlog: the pace as before");
  }

  @Test
  void theBacklogPaceStaysBelowTheConnectionsIdleTimeoutAndNeverUnderTheInterval() {
    InstanceStatus linked =
        status(InstanceRole.REPLICA, true).toBuilder().masterLinkUp(true).build();
    assertEquals(
        PollSchedule.MAX_HOLD,
        PollSchedule.plainInterval(linked, false, Duration.ofSeconds(3), true));
    assertEquals(
        Duration.ofSeconds(10),
        PollSchedule.plainInterval(linked, false, Duration.ofSeconds(10), true));
  }

  @Test
  void onlyAnAnsweringPrimarysPollIsReportedOverdueAndOnlyBeforeItsTimeout() {
    Duration timeout = Duration.ofMillis(800);
    assertEquals(
        java.util.Optional.of(PollSchedule.OVERDUE),
        PollSchedule.overdueAfter(status(InstanceRole.PRIMARY, true), false, timeout, false));
    assertTrue(
        PollSchedule.overdueAfter(status(InstanceRole.PRIMARY, true), true, timeout, false)
            .isEmpty(),
        "already unanswered since its first failed poll");
    assertTrue(
        PollSchedule.overdueAfter(status(InstanceRole.REPLICA, true), false, timeout, false)
            .isEmpty());
    assertTrue(PollSchedule.overdueAfter(null, false, timeout, false).isEmpty());
    assertTrue(
        PollSchedule.overdueAfter(
                status(InstanceRole.PRIMARY, true), false, PollSchedule.OVERDUE, false)
            .isEmpty(),
        "a timeout that short fails the poll first");
  }

  @Test
  void whileFirstContactsWaitAPrimarysPollIsNotReportedOverdueItFailsAtItsTimeout() {
    Duration timeout = Duration.ofMillis(800);
    assertTrue(
        PollSchedule.overdueAfter(status(InstanceRole.PRIMARY, true), false, timeout, true)
            .isEmpty(),
        "the controller is behind on its own first contacts");
    assertEquals(
        java.util.Optional.of(PollSchedule.OVERDUE),
        PollSchedule.overdueAfter(status(InstanceRole.PRIMARY, true), false, timeout, false));
  }

  @Test
  void aServingReplicaIsHeldLongerButNeverPastTheCap() {
    assertEquals(
        PollSchedule.MAX_HOLD,
        PollSchedule.next(status(InstanceRole.REPLICA, true), "v.1", false, INTERVAL).hold());
    assertEquals(
        Duration.ofMillis(2000),
        PollSchedule.next(status(InstanceRole.REPLICA, true), "v.1", false, Duration.ofMillis(200))
            .hold());
    assertNull(
        PollSchedule.next(status(InstanceRole.REPLICA, false), "v.1", false, INTERVAL).since(),
        "a replica whose Redis is down is polled like a primary");
  }

  @Test
  void afterAFailureOrWithoutVersionsThePollIsAnsweredAtOnce() {
    assertNull(
        PollSchedule.next(status(InstanceRole.REPLICA, true), "v.1", true, INTERVAL).since());
    assertNull(
        PollSchedule.next(status(InstanceRole.REPLICA, true), null, false, INTERVAL).since());
    assertNull(PollSchedule.next(null, "v.1", false, INTERVAL).since());
  }

  @Test
  void aReplicaIsHeldOnlyByAnAgentWhoseVersionMovesWhenItsLinkTurnsStale() {
    InstanceStatus replica = status(InstanceRole.REPLICA, true);
    assertEquals(
        "v.1", PollSchedule.next(replica, "v.1", false, INTERVAL).since(), "this protocol's");
    assertNull(
        PollSchedule.next(replica.toBuilder().protocolVersion(5).build(), "v.1", false, INTERVAL)
            .since(),
        "an agent before version 6 would keep a report vouching for a cut-off primary");
    assertNull(
        PollSchedule.next(replica.toBuilder().protocolVersion(null).build(), "v.1", false, INTERVAL)
            .since());
  }

  @Test
  void aHeldAnswerIsFollowedAtOnceAPlainOneAfterTheInterval() {
    assertEquals(
        Duration.ZERO, PollSchedule.delayAfter(true, true, Duration.ofMillis(900), INTERVAL));
    assertEquals(
        Duration.ofMillis(40),
        PollSchedule.delayAfter(true, true, Duration.ofMillis(10), INTERVAL));
    assertEquals(
        Duration.ofMillis(700),
        PollSchedule.delayAfter(true, false, Duration.ofMillis(300), INTERVAL));
    assertEquals(
        Duration.ofMillis(700),
        PollSchedule.delayAfter(false, false, Duration.ofMillis(300), INTERVAL));
    assertEquals(
        Duration.ZERO, PollSchedule.delayAfter(false, false, Duration.ofMillis(1500), INTERVAL));
  }

  @Test
  void aServingPrimaryWithVersionsIsWatchedBesideItsPlainPolls() {
    assertTrue(PollSchedule.watchBeside(status(InstanceRole.PRIMARY, true), "v.1", false, false));
    assertFalse(
        PollSchedule.watchBeside(status(InstanceRole.PRIMARY, true), null, false, false),
        "an agent without versions cannot hold a request");
    assertFalse(
        PollSchedule.watchBeside(status(InstanceRole.PRIMARY, true), "v.1", true, false),
        "after a failed poll the plain polls find out when it answers again");
    assertFalse(
        PollSchedule.watchBeside(status(InstanceRole.PRIMARY, false), "v.1", false, false),
        "its Redis is down already: nothing to wait for");
    assertFalse(
        PollSchedule.watchBeside(status(InstanceRole.REPLICA, true), "v.1", false, false),
        "a replica is not what a failover waits for");
    assertFalse(
        PollSchedule.watchBeside(status(InstanceRole.PRIMARY, true), "v.1", false, true),
        "its plain polls are held already");
    assertFalse(PollSchedule.watchBeside(null, "v.1", false, false));
  }

  @Test
  void aReplicasFirstPollMayTakeTheHandshakesTimeTheRecordedPrimarysKeepsTheClustersTimeout() {
    Duration timeout = Duration.ofMillis(800);
    assertEquals(PollSchedule.FIRST_POLL_TIMEOUT, PollSchedule.timeout(timeout, true));
    assertEquals(timeout, PollSchedule.timeout(timeout, false));
    Duration longer = Duration.ofSeconds(3);
    assertEquals(longer, PollSchedule.timeout(longer, true), "never shorter than asked");
  }
}
