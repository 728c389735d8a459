package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.InternalCommand.Overdue;
import io.redisoperator.controller.pod.PodCommand.Target;
import io.redisoperator.controller.pod.PollsInFlight.PollNow;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PollsInFlightTest {
  private static final Instant T0 = Instant.parse("2026-12-06T05:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Target TARGET = new Target("10.0.0.1", null, INTERVAL, INTERVAL);

  /** A serving replica's record, whose plain polls the agent holds (long-polls). */
  private static PollRecord servingReplica() {
    PollRecord record = new PollRecord();
    record.answered(
        InstanceStatus.builder("c-1")
            .role(InstanceRole.REPLICA)
            .redisUp(true)
            .connectedReplicas(List.of())
            .secretVersions(Map.of())
            .agentUptimeSeconds(1)
            .redisProcessRunning(true)
            .build(),
        "a.1",
        T0,
        T0);
    return record;
  }

  @Test
  void aPollAskedForBesideAHeldOneGoesUrgentlyOnce() {
    PollsInFlight polls = new PollsInFlight();
    assertEquals(PollNow.POLL, polls.pollNow(true), "nothing out: a poll goes now");
    assertEquals("a.1", polls.sendPlain(servingReplica(), INTERVAL).since(), "held");
    assertEquals(PollNow.URGENT_BESIDE, polls.pollNow(true));
    assertEquals(PollNow.AFTER_THE_ONE_OUT, polls.pollNow(true), "one urgent poll at a time");
    polls.ended(true);
    assertEquals(PollNow.URGENT_BESIDE, polls.pollNow(true), "the urgent one answered");
  }

  @Test
  void aPollAskedForBesideAPlainOneFollowsItAtOnceAndIsNotHeld() {
    PollsInFlight polls = new PollsInFlight();
    assertNull(polls.sendPlain(StatusWatchTest.answeringPrimary(), INTERVAL).since());
    assertEquals(PollNow.AFTER_THE_ONE_OUT, polls.pollNow(true));
    polls.ended(false);
    assertEquals(
        Duration.ZERO,
        polls.nextDelay(
            StatusWatchTest.answeringPrimary(), true, Duration.ofMillis(10), INTERVAL, false),
        "its answer may predate the change");
    assertFalse(
        polls.opensConnection(new PollRecord(), false), "a fresh answer waits for no place");
    assertEquals(
        PollSchedule.Request.AT_ONCE,
        polls.sendPlain(servingReplica(), INTERVAL),
        "answered at once, never held");
    polls.ended(false);
    assertEquals(
        PollSchedule.MIN_GAP.minusMillis(10),
        polls.nextDelay(servingReplica(), true, Duration.ofMillis(10), INTERVAL, false),
        "the next of a serving replica is held: it goes after the least gap");
    assertEquals("a.1", polls.sendPlain(servingReplica(), INTERVAL).since(), "held again");
  }

  @Test
  void anUrgentPollNeedsAnAddress() {
    PollsInFlight polls = new PollsInFlight();
    polls.sendPlain(servingReplica(), INTERVAL);
    assertEquals(PollNow.AFTER_THE_ONE_OUT, polls.pollNow(false));
  }

  @Test
  void theFirstPollAndAReplicasAfterAFailureOpenAConnection() {
    PollsInFlight polls = new PollsInFlight();
    assertTrue(polls.opensConnection(new PollRecord(), true), "the first, even the primary's");
    assertFalse(polls.opensConnection(servingReplica(), false), "answered: its connection is up");
    PollRecord failedReplica = servingReplica();
    failedReplica.failed(T0.plusSeconds(1));
    assertTrue(polls.opensConnection(failedReplica, false));
    assertFalse(polls.opensConnection(failedReplica, true), "the recorded primary's is evidence");
    PollRecord failedPrimary = StatusWatchTest.answeringPrimary();
    failedPrimary.failed(T0.plusSeconds(1));
    assertFalse(polls.opensConnection(failedPrimary, false), "it answered as the primary");
    polls.podGone();
    assertFalse(polls.opensConnection(new PollRecord(), false), "a gone pod waits for no place");
  }

  @Test
  void onlyTheFirstContactOfAPodOtherThanThePrimaryGetsTheLongerTimeout() {
    PollsInFlight polls = new PollsInFlight();
    assertTrue(polls.firstContactTimeout(new PollRecord(), false));
    assertFalse(polls.firstContactTimeout(new PollRecord(), true));
    assertFalse(polls.firstContactTimeout(servingReplica(), false));
    polls.podGone();
    assertFalse(polls.firstContactTimeout(new PollRecord(), false));
  }

  @Test
  void aGonePodIsPolledQuicklyAndAtOnceUntilItsAddressRefuses() {
    PollsInFlight polls = new PollsInFlight();
    polls.podGone();
    assertEquals(PollSchedule.Request.AT_ONCE, polls.sendPlain(servingReplica(), INTERVAL));
    polls.ended(false);
    PollRecord record = servingReplica();
    assertEquals(
        PollsInFlight.GONE_REPOLL.minusMillis(30),
        polls.nextDelay(record, true, Duration.ofMillis(30), INTERVAL, false));
    polls.outcome(PollFailure.TIMEOUT);
    assertTrue(polls.gone(), "a timeout proves nothing");
    polls.outcome(PollFailure.CONNECTION_REFUSED);
    assertFalse(polls.gone());
    assertEquals(
        PollSchedule.MIN_GAP.minusMillis(30),
        polls.nextDelay(record, true, Duration.ofMillis(30), INTERVAL, false),
        "back to a held poll");
    polls.podGone();
    polls.newAddress();
    assertFalse(polls.gone(), "what was gone was the previous address");
  }

  @Test
  void aGonePodPolledFasterThanGoneRepollKeepsItsInterval() {
    PollsInFlight polls = new PollsInFlight();
    polls.podGone();
    Duration fast = Duration.ofMillis(50);
    assertEquals(
        PollSchedule.delayAfter(false, false, Duration.ofMillis(10), fast),
        polls.nextDelay(new PollRecord(), false, Duration.ofMillis(10), fast, false));
  }

  @Test
  void anOverdueTimerConcernsOnlyThePlainPollOutAtTheTargetsAddress() {
    PollsInFlight polls = new PollsInFlight();
    Overdue overdue = new Overdue("10.0.0.1", T0, T0.plusMillis(250));
    assertFalse(polls.concerns(overdue, TARGET), "nothing out");
    polls.sendPlain(StatusWatchTest.answeringPrimary(), INTERVAL);
    CompletableFuture<String> call = new CompletableFuture<>();
    polls.trackPlain(call, T0);
    assertTrue(polls.concerns(overdue, TARGET));
    assertFalse(polls.concerns(new Overdue("10.0.0.1", T0.minusSeconds(1), T0), TARGET), "older");
    assertFalse(polls.concerns(new Overdue("10.0.0.9", T0, T0), TARGET), "another address");
    assertFalse(polls.concerns(overdue, null));
    polls.ended(false);
    assertFalse(polls.concerns(overdue, TARGET), "answered");
  }

  @Test
  void anOverduePollHandledLateWaitsUnlessItsCallCompleted() {
    PollsInFlight polls = new PollsInFlight();
    polls.sendPlain(StatusWatchTest.answeringPrimary(), INTERVAL);
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletableFuture<String> tracked = polls.trackPlain(call, T0).toCompletableFuture();
    Instant due = T0.plus(PollSchedule.OVERDUE);
    Instant late = due.plusMillis(200);
    Overdue overdue = new Overdue("10.0.0.1", T0, due);
    PollSchedule.OverdueStep wait = new PollSchedule.OverdueStep.Wait(Duration.ofMillis(200));
    assertEquals(
        wait,
        PollSchedule.overdueStep(
            Duration.ofMillis(200), Duration.between(T0, late), Duration.ofSeconds(5), false),
        "the schedule defers a timer handled this late");
    assertEquals(
        wait, polls.overdueStep(overdue, late, Duration.ZERO, Duration.ofSeconds(5), false));
    assertEquals(
        wait,
        polls.overdueStep(overdue, due, Duration.ofMillis(200), Duration.ofSeconds(5), false),
        "event loops running as late count the same");
    assertFalse(polls.plainCompleted());
    call.complete("answer");
    assertTrue(tracked.isDone());
    assertTrue(polls.plainCompleted(), "completed before the actor saw it");
    assertEquals(
        new PollSchedule.OverdueStep.Skip(),
        polls.overdueStep(overdue, late, Duration.ZERO, Duration.ofSeconds(5), false),
        "its answer waits for the actor: nothing to report");
  }
}
