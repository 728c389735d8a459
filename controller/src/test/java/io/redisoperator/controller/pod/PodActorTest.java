package io.redisoperator.controller.pod;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.support.UnscriptedAgentClient;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PodActorTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  /** A pod actor polling {@code agent}, reporting to {@code reports}, on the system clock. */
  private static ActorRef<PodCommand> spawn(
      String pod, ScriptedAgent agent, NewConnections connections, TestProbe<PodReport> reports) {
    return spawn(pod, agent, connections, new AnswerPace(System::nanoTime), reports);
  }

  private static ActorRef<PodCommand> spawn(
      String pod,
      ScriptedAgent agent,
      NewConnections connections,
      AnswerPace pace,
      TestProbe<PodReport> reports) {
    return testKit.spawn(
        PodActor.create(
            pod,
            new PodLog("ns", "c", pod),
            agent,
            connections,
            pace,
            reports.getRef(),
            new OperatorMetrics(),
            Clock.systemUTC()));
  }

  private final NewConnections contacts =
      new NewConnections(NewConnections.IN_FLIGHT, System::nanoTime);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /**
   * An agent whose answers the test hands out one by one; counts how many polls were ever in flight
   * at once.
   */
  static class ScriptedAgent extends UnscriptedAgentClient {
    final ConcurrentLinkedQueue<CompletableFuture<InstanceStatus>> pending =
        new ConcurrentLinkedQueue<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final ConcurrentLinkedQueue<String> hosts = new ConcurrentLinkedQueue<>();

    @Override
    public CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout) {
      hosts.add(agent.ip());
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<InstanceStatus> answer = new CompletableFuture<>();
      pending.add(answer);
      return answer.whenComplete((s, e) -> inFlight.decrementAndGet());
    }

    void awaitPendingCount(int count) {
      await(count + " polls in flight")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> pending.size() >= count);
    }

    void answer(InstanceStatus status) {
      awaitPending().complete(status);
    }

    void fail(PollFailure kind) {
      awaitPending().completeExceptionally(new AgentCallException(kind, 0, null, "scripted", null));
    }

    private CompletableFuture<InstanceStatus> awaitPending() {
      return await("a poll sent")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(5))
          .until(pending::poll, java.util.Objects::nonNull);
    }
  }

  /** A protocol-3 agent: answers carry a version; records what each request asked for. */
  static final class VersionedAgent extends ScriptedAgent {
    final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();

    /** What the status version is made of, before the answer's restart count. */
    private final String versionPrefix;

    VersionedAgent() {
      this("v");
    }

    /**
     * @param versionPrefix {@code "<incarnation>."} for versions in the agent's own form
     */
    VersionedAgent(String versionPrefix) {
      this.versionPrefix = versionPrefix;
    }

    @Override
    public CompletionStage<VersionedStatus> watchStatus(
        AgentEndpoint agent, String since, Duration wait, Duration timeout) {
      requests.add(since == null ? "at-once" : "since=" + since + " hold=" + wait.toMillis());
      return status(agent, timeout)
          .thenApply(s -> new VersionedStatus(s, versionPrefix + s.restartCount()));
    }

    @Override
    public CompletionStage<VersionedStatus> urgentStatus(AgentEndpoint agent, Duration timeout) {
      requests.add("urgent");
      return status(agent, timeout)
          .thenApply(s -> new VersionedStatus(s, versionPrefix + s.restartCount()));
    }

    /** The version each request named as known ("-": none), in order. */
    final ConcurrentLinkedQueue<String> known = new ConcurrentLinkedQueue<>();

    @Override
    public CompletionStage<VersionedStatus> watchStatus(
        AgentEndpoint agent,
        String since,
        Duration wait,
        Duration timeout,
        VersionedStatus knownStatus) {
      known.add(knownStatus == null ? "-" : knownStatus.version());
      return watchStatus(agent, since, wait, timeout);
    }

    @Override
    public CompletionStage<VersionedStatus> urgentStatus(
        AgentEndpoint agent, Duration timeout, VersionedStatus knownStatus) {
      known.add(knownStatus == null ? "-" : knownStatus.version());
      return urgentStatus(agent, timeout);
    }
  }

  @Test
  void everyRequestAfterAVersionedAnswerNamesTheVersionItHas() {
    VersionedAgent agent = new VersionedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(30), Duration.ofMillis(500)));
    agent.answer(primary());
    reports.receiveMessage();
    watchedBesideTheNextPoll(actor, agent, reports);
    assertEquals(
        List.of("-", "v0", "v0"),
        List.copyOf(agent.known),
        "the first poll knows nothing; the next poll and the watch beside it may be answered"
            + " unchanged");
    testKit.stop(actor);
  }

  @Test
  void aVersionedReplicaIsLongPolledAtOnceAndAskedUrgentlyBesideAHeldPoll() {
    System.setProperty(PollSchedule.LONG_POLL_PROPERTY, "true");
    try {
      longPolled();
    } finally {
      System.clearProperty(PollSchedule.LONG_POLL_PROPERTY);
    }
  }

  private void longPolled() {
    VersionedAgent agent = new VersionedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    // A long interval: a next poll within the test comes from the long-poll, not from the interval.
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(5), Duration.ofMillis(500)));
    InstanceStatus replica = replica("p-0", 0L, 0);
    agent.answer(replica);
    reports.receiveMessage();
    agent.awaitPendingCount(1);
    assertEquals(
        List.of("at-once", "since=v0 hold=8000"),
        List.copyOf(agent.requests),
        "a serving replica's next poll is held, sent as soon as the answer came");
    actor.tell(PodCommand.PollNow.INSTANCE);
    agent.awaitPendingCount(2);
    assertEquals(
        "urgent",
        List.copyOf(agent.requests).get(2),
        "a fresh answer is asked for beside the held poll");
    testKit.stop(actor);
  }

  /**
   * A partition: the replica's long-poll is held, the failover's recheck asks beside it and gets a
   * link that still vouches (heard 1 s ago), then the held poll is answered because the link turned
   * stale. That answer is newer than the recheck's: its report must not be dated before it, or the
   * cluster actor drops it ({@code PodReports.take}) and keeps the vouching report until the next
   * long-poll's hold ends.
   */
  @Test
  void aHeldAnswerThatChangedAfterAnUrgentAnswerIsNotDatedBeforeIt() {
    System.setProperty(PollSchedule.LONG_POLL_PROPERTY, "true");
    try {
      VersionedAgent agent = new VersionedAgent("a.");
      TestProbe<PodReport> reports = testKit.createTestProbe();
      ActorRef<PodCommand> actor = spawn("p-1", agent, contacts, reports);
      actor.tell(
          new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(5), Duration.ofMillis(500)));
      agent.answer(replica("p-1", 0L, 0)); // version a.0
      reports.receiveMessage();
      agent.awaitPendingCount(1); // the long-poll, held since a.0
      CompletableFuture<InstanceStatus> held = agent.pending.poll();
      actor.tell(PodCommand.PollNow.INSTANCE);
      agent.awaitPendingCount(1);
      assertEquals("urgent", List.copyOf(agent.requests).get(2));
      agent.answer(replica("p-1", 1L, 0)); // the recheck: still a.0, heard 1 s ago
      PodReport recheck = reports.receiveMessage();
      held.complete(replica("p-1", 2L, 1)); // a.1: the link turned stale
      PodReport stale = reports.receiveMessage();
      assertEquals(2L, stale.status().masterLastIoSecondsAgo());
      assertFalse(
          stale.requestedAt().isBefore(recheck.requestedAt()),
          "the stale link's report is newer than the recheck's, whenever its request was sent");
      testKit.stop(actor);
    } finally {
      System.clearProperty(PollSchedule.LONG_POLL_PROPERTY);
    }
  }

  /** A serving replica; {@code restartCount} makes the scripted agent's version. */
  private static InstanceStatus replica(String pod, long lastIoSecondsAgo, int restartCount) {
    return InstanceStatus.builder(pod)
        .role(InstanceRole.REPLICA)
        .redisUp(true)
        .redisVersion("7.2.4")
        .masterReplId("id")
        .replicationOffset(10L)
        .masterHost("10.0.0.2")
        .masterPort(6379)
        .masterLinkUp(true)
        .masterLastIoSecondsAgo(lastIoSecondsAgo)
        .connectedReplicas(List.of())
        .restartCount(restartCount)
        .configHash("h")
        .secretVersions(Map.of())
        .agentUptimeSeconds(1)
        .redisProcessRunning(true)
        .build();
  }

  @Test
  void aVersionedPrimaryIsWatchedAndPolledAtOnceWhenItsStatusChanges() {
    VersionedAgent agent = new VersionedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    // A long interval: a poll within the test comes from the watch, not from the interval.
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(30), Duration.ofMillis(500)));
    agent.answer(primary());
    assertEquals(PollFailure.NONE, reports.receiveMessage().lastFailure());
    watchedBesideTheNextPoll(actor, agent, reports);
    // Redis dies: the agent answers the held watch with a new version.
    agent.answer(redisDiedAfterRestart());
    reports.expectNoMessage(Duration.ofMillis(100));
    agent.awaitPendingCount(1);
    assertEquals(
        "at-once",
        List.copyOf(agent.requests).get(3),
        "the changed version makes a plain poll go at once; the watch itself reports nothing");
    agent.answer(redisDiedAfterRestart());
    assertTrue(reports.receiveMessage().status().redisProcessDead());
    testKit.stop(actor);
  }

  /**
   * After the primary's first answer no watch goes until the next plain poll is out (here asked for
   * at once): the watch then opens the second connection, not the poll. Leaves the watch pending.
   */
  private static void watchedBesideTheNextPoll(
      ActorRef<PodCommand> actor, VersionedAgent agent, TestProbe<PodReport> reports) {
    await("no watch right after the answer")
        .during(Duration.ofMillis(150))
        .atMost(Duration.ofSeconds(2))
        .until(agent.pending::isEmpty);
    actor.tell(PodCommand.PollNow.INSTANCE);
    agent.awaitPendingCount(2);
    assertEquals(
        List.of("at-once", "at-once", "since=v0 hold=8000"),
        List.copyOf(agent.requests),
        "the primary's next plain poll, then beside it a watch held from its version");
    agent.answer(primary()); // the plain poll
    reports.receiveMessage();
    agent.awaitPendingCount(1);
    assertEquals(3, agent.requests.size(), "the watch is still held: no other request");
  }

  @Test
  void aPrimaryInTheBacklogWaitsForItsPaceAndSendsItsFirstWatchOnlyOnceTheBacklogIsOver() {
    NewConnections one = new NewConnections(1, System::nanoTime);
    VersionedAgent agent = new VersionedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, one, reports);
    // Half an interval apart as a primary (50 ms), the backlog's pace 500 ms.
    actor.tell(
        new PodCommand.Target(
            "10.0.0.1", null, Duration.ofMillis(100), Duration.ofMillis(80), true));
    agent.awaitPendingCount(1); // its first poll holds the only place
    NewConnections.Ticket next = one.ask(false, true, () -> {});
    NewConnections.Ticket after = one.ask(false, true, () -> {});
    agent.answer(primary());
    reports.receiveMessage();
    await("neither a poll at the primary's pace nor a watch's handshake while the backlog lasts")
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(agent.pending::isEmpty);
    one.release(next);
    one.release(after);
    agent.awaitPendingCount(2);
    assertEquals(
        List.of("at-once", "at-once", "since=v0 hold=1000"),
        List.copyOf(agent.requests),
        "the backlog over, the paced poll goes with the first watch beside it");
    testKit.stop(actor);
  }

  @Test
  void aFailedWatchSendsOnePollAtOnceAndTheNextWatchOnlyAfterAnInterval() {
    VersionedAgent agent = new VersionedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(30), Duration.ofMillis(500)));
    agent.answer(primary());
    reports.receiveMessage();
    watchedBesideTheNextPoll(actor, agent, reports);
    agent.fail(PollFailure.HTTP_ERROR); // the watch
    reports.expectNoMessage(Duration.ofMillis(50));
    agent.answer(primary()); // the poll it sent at once
    reports.receiveMessage();
    await("no new watch within the interval")
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(agent.pending::isEmpty);
    assertEquals(
        List.of("at-once", "at-once", "since=v0 hold=8000", "at-once"),
        List.copyOf(agent.requests),
        "a watch refused while polls answer never turns into a poll loop");
    testKit.stop(actor);
  }

  static InstanceStatus primary() {
    return InstanceStatus.builder("p-0")
        .role(InstanceRole.PRIMARY)
        .redisUp(true)
        .redisVersion("7.2.4")
        .masterReplId("id")
        .replicationOffset(10L)
        .masterLastIoSecondsAgo(-1L)
        .connectedReplicas(List.of())
        .configHash("h")
        .secretVersions(Map.of())
        .agentUptimeSeconds(1)
        .build();
  }

  @Test
  void reportsSuccessesAndCountsConsecutiveFailuresByKind() {
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofMillis(50), Duration.ofMillis(40)));

    agent.answer(primary());
    PodReport ok = reports.receiveMessage();
    assertEquals(0, ok.consecutiveFailures());
    assertEquals(PollFailure.NONE, ok.lastFailure());
    assertEquals(InstanceRole.PRIMARY, ok.status().role());

    agent.fail(PollFailure.TIMEOUT);
    PodReport first = reports.receiveMessage();
    assertEquals(1, first.consecutiveFailures());
    assertEquals(PollFailure.TIMEOUT, first.lastFailure());
    assertEquals(InstanceRole.PRIMARY, first.status().role(), "the last good answer is kept");

    agent.fail(PollFailure.CONNECTION_REFUSED);
    PodReport second = reports.receiveMessage();
    assertEquals(2, second.consecutiveFailures());
    assertEquals(PollFailure.CONNECTION_REFUSED, second.lastFailure());

    agent.answer(primary());
    assertEquals(0, reports.receiveMessage().consecutiveFailures());
    testKit.stop(actor);
  }

  @Test
  void aPodNeverAnsweredWaitsForAFirstContactPlaceAndOneThatAnsweredDoesNot() {
    NewConnections one = new NewConnections(1, System::nanoTime);
    NewConnections.Ticket other = one.ask(false, true, () -> {});
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, one, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofMillis(50), Duration.ofMillis(40)));
    await("the pod waits for the place")
        .atMost(Duration.ofSeconds(5))
        .until(() -> one.waiting() == 1);
    reports.expectNoMessage(Duration.ofMillis(200));
    assertTrue(agent.hosts.isEmpty(), "no poll before the place is free");

    one.release(other);
    agent.fail(PollFailure.TIMEOUT);
    assertEquals(1, reports.receiveMessage().consecutiveFailures());
    // Still never answered: the next poll asks for the place again (returned after the failure).
    agent.answer(primary());
    assertEquals(0, reports.receiveMessage().consecutiveFailures());

    // Answered once: its polls no longer need a place, even while another pod holds the only one.
    NewConnections.Ticket held = one.ask(false, true, () -> {});
    await().atMost(Duration.ofSeconds(5)).until(() -> one.isGranted(held));
    agent.fail(PollFailure.TIMEOUT);
    assertEquals(1, reports.receiveMessage().consecutiveFailures());
    agent.answer(primary());
    assertEquals(0, reports.receiveMessage().consecutiveFailures());
    testKit.stop(actor);
    one.release(held);
  }

  @Test
  void aPodThatAnsweredIsPolledAtTheBacklogPaceWhileOtherPodsFirstContactsWait() {
    NewConnections one = new NewConnections(1, System::nanoTime);
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-1", agent, one, reports);
    Duration interval = Duration.ofMillis(100); // paced: 500 ms apart
    actor.tell(new PodCommand.Target("10.0.0.2", null, interval, Duration.ofMillis(80)));
    InstanceStatus replica =
        primary().toBuilder().role(InstanceRole.REPLICA).masterLinkUp(true).build();
    agent.awaitPendingCount(1); // its first poll holds the only place
    NewConnections.Ticket next = one.ask(false, true, () -> {});
    NewConnections.Ticket after = one.ask(false, true, () -> {});
    agent.answer(replica);
    reports.receiveMessage();
    assertTrue(one.firstContactsWaiting(), "one pod still waits for its first contact");
    await("no poll at the interval while the backlog lasts")
        .during(interval.multipliedBy(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> agent.pending.isEmpty());
    one.release(next);
    one.release(after);
    agent.answer(replica); // the paced poll still goes
    reports.receiveMessage();
    agent.answer(replica);
    assertEquals(0, reports.receiveMessage(Duration.ofSeconds(1)).consecutiveFailures());
    testKit.stop(actor);
  }

  @Test
  void aReplicasPollAfterAFailureWaitsForAPlaceARecordedPrimarysDoesNot() {
    NewConnections one = new NewConnections(1, System::nanoTime);
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-1", agent, one, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.2", null, Duration.ofMillis(50), Duration.ofMillis(40)));
    InstanceStatus replica = primary().toBuilder().role(InstanceRole.REPLICA).build();
    agent.answer(replica);
    reports.receiveMessage();
    NewConnections.Ticket other = one.ask(false, true, () -> {});
    await().atMost(Duration.ofSeconds(5)).until(() -> one.isGranted(other));
    agent.fail(PollFailure.TIMEOUT);
    assertEquals(1, reports.receiveMessage().consecutiveFailures());
    await("the replica's next poll waits for the place")
        .atMost(Duration.ofSeconds(5))
        .until(() -> one.waiting() == 1);
    assertTrue(agent.pending.isEmpty(), "no poll before the place is free");
    one.release(other);
    agent.answer(replica);
    assertEquals(0, reports.receiveMessage().consecutiveFailures());
    testKit.stop(actor);

    // The recorded primary, answering as a replica still (a handoff in progress): never held.
    ActorRef<PodCommand> primary = spawn("p-0", agent, one, reports);
    primary.tell(
        new PodCommand.Target(
            "10.0.0.1", null, Duration.ofMillis(50), Duration.ofMillis(40), true));
    agent.answer(replica);
    reports.receiveMessage();
    NewConnections.Ticket held = one.ask(false, true, () -> {});
    assertTrue(one.isGranted(held), "the only place is taken");
    agent.fail(PollFailure.TIMEOUT);
    assertEquals(1, reports.receiveMessage().consecutiveFailures());
    agent.answer(replica);
    assertEquals(0, reports.receiveMessage().consecutiveFailures());
    testKit.stop(primary);
    one.release(held);
  }

  @Test
  void aPlaceIsReturnedWhenTheCallEndsAndAStoppedPodLeavesTheQueue() {
    NewConnections one = new NewConnections(1, System::nanoTime);
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> polling = spawn("p-0", agent, one, reports);
    polling.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(30), Duration.ofSeconds(20)));
    agent.awaitPendingCount(1);
    assertEquals(1, one.inFlight());
    ActorRef<PodCommand> waiting = spawn("p-1", agent, one, reports);
    waiting.tell(
        new PodCommand.Target("10.0.0.2", null, Duration.ofSeconds(30), Duration.ofSeconds(20)));
    await("p-1 waits").atMost(Duration.ofSeconds(5)).until(() -> one.waiting() == 1);
    testKit.stop(waiting);
    await("a stopped pod leaves the queue")
        .atMost(Duration.ofSeconds(5))
        .until(() -> one.waiting() == 0);

    testKit.stop(polling);
    assertEquals(1, one.inFlight(), "held by the call, not by the actor");
    agent.answer(primary());
    await("returned when the call ends")
        .atMost(Duration.ofSeconds(5))
        .until(() -> one.inFlight() == 0);
  }

  @Test
  void reportsWhenTheFirstUnansweredPollWasSent() {
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofMillis(50), Duration.ofMillis(40)));
    agent.answer(primary());
    assertNull(reports.receiveMessage().unansweredSince());

    agent.fail(PollFailure.TIMEOUT);
    PodReport first = reports.receiveMessage();
    assertEquals(
        first.requestedAt(), first.unansweredSince(), "the first unanswered poll's send time");
    agent.fail(PollFailure.TIMEOUT);
    PodReport second = reports.receiveMessage();
    assertEquals(first.requestedAt(), second.unansweredSince(), "later polls do not move it");
    assertTrue(second.requestedAt().isAfter(second.unansweredSince()));

    agent.answer(primary());
    assertNull(reports.receiveMessage().unansweredSince());
    testKit.stop(actor);
  }

  @Test
  void aPrimarysPollStillInFlightPastItsOverdueTimeIsReportedUnansweredBeforeItFails() {
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    // The scripted agent never times a poll out itself: the failure below is the test's.
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(2), Duration.ofMillis(1500)));
    agent.answer(primary());
    assertNull(reports.receiveMessage().unansweredSince());
    long answeredAt = System.nanoTime();
    agent.awaitPendingCount(1);
    assertTrue(
        Duration.ofNanos(System.nanoTime() - answeredAt).compareTo(Duration.ofMillis(1800)) < 0,
        "an answering primary is polled every half interval");

    PodReport overdue = reports.receiveMessage(Duration.ofSeconds(1));
    assertEquals(0, overdue.consecutiveFailures(), "overdue is not failed");
    assertEquals(PollFailure.NONE, overdue.lastFailure());
    assertEquals(
        overdue.requestedAt(), overdue.unansweredSince(), "unanswered since the poll was sent");

    agent.fail(PollFailure.TIMEOUT);
    PodReport failed = reports.receiveMessage();
    assertEquals(1, failed.consecutiveFailures());
    assertEquals(overdue.unansweredSince(), failed.unansweredSince(), "the same first poll");

    agent.answer(primary());
    assertNull(reports.receiveMessage().unansweredSince());
    testKit.stop(actor);
  }

  @Test
  void aPrimarysPollIsNotReportedOverdueWhileFirstContactsWaitItFailsAtItsTimeout() {
    NewConnections one = new NewConnections(1, System::nanoTime);
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, one, reports);
    // Polled every 2 s while the backlog lasts; overdue 250 ms after a poll is sent otherwise.
    actor.tell(
        new PodCommand.Target(
            "10.0.0.1", null, Duration.ofMillis(400), Duration.ofMillis(320), true));
    agent.awaitPendingCount(1); // its first poll holds the only place
    NewConnections.Ticket next = one.ask(false, true, () -> {});
    NewConnections.Ticket after = one.ask(false, true, () -> {});
    agent.answer(primary());
    assertNull(reports.receiveMessage().unansweredSince());
    agent.awaitPendingCount(1);
    reports.expectNoMessage(Duration.ofMillis(600));
    agent.fail(PollFailure.TIMEOUT);
    PodReport failed = reports.receiveMessage();
    assertEquals(1, failed.consecutiveFailures(), "its timeout still fails it");
    assertEquals(failed.requestedAt(), failed.unansweredSince());
    one.release(next);
    one.release(after);
    testKit.stop(actor);
  }

  /**
   * A primary polled every second (timeout 1.5 s) that answered its first poll; returns once its
   * next poll is out, unanswered.
   */
  private ActorRef<PodCommand> answeringPrimaryWithItsNextPollOut(
      ScriptedAgent agent, AnswerPace pace, TestProbe<PodReport> reports) {
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, pace, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(2), Duration.ofMillis(1500)));
    agent.answer(primary());
    assertNull(reports.receiveMessage().unansweredSince());
    agent.awaitPendingCount(1);
    return actor;
  }

  @Test
  void aPollIsNotReportedOverdueWhileTheEventLoopsThatWouldReadItsAnswerRunLate() {
    ScriptedAgent agent =
        new ScriptedAgent() {
          @Override
          public Duration lateness() {
            return Duration.ofMillis(400); // a saturated controller's loops
          }
        };
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor =
        answeringPrimaryWithItsNextPollOut(agent, new AnswerPace(System::nanoTime), reports);
    // Without the loops' lateness the overdue report comes 250 ms after the poll was sent.
    reports.expectNoMessage(Duration.ofMillis(700));
    agent.answer(primary());
    assertNull(reports.receiveMessage().unansweredSince(), "answered: never recorded unanswered");
    testKit.stop(actor);
  }

  @Test
  void aPrimarysOverduePollIsLeftToItsTimeoutWhileTheControllersAnswersAreSlow() {
    AnswerPace pace = new AnswerPace(System::nanoTime);
    for (int i = 0; i < AnswerPace.MIN_SLOW; i++) {
      pace.answered(Duration.ofMillis(600)); // other pods' answers, read late
    }
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = answeringPrimaryWithItsNextPollOut(agent, pace, reports);
    // With answers on time the overdue report comes 250 ms after the poll was sent.
    reports.expectNoMessage(Duration.ofMillis(700));
    agent.fail(PollFailure.TIMEOUT);
    PodReport failed = reports.receiveMessage();
    assertEquals(1, failed.consecutiveFailures(), "its timeout still fails it");
    assertEquals(failed.requestedAt(), failed.unansweredSince());
    testKit.stop(actor);
  }

  @Test
  void countsAnswersInWhichRedisDoesNotAnswerButItsProcessRuns() {
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofMillis(50), Duration.ofMillis(40)));
    agent.answer(redis(false, true));
    assertEquals(1, reports.receiveMessage().redisUnansweredPolls());
    agent.answer(redis(false, null));
    assertEquals(
        2,
        reports.receiveMessage().redisUnansweredPolls(),
        "an agent that does not say counts the same");
    agent.answer(redis(false, false));
    assertEquals(
        0, reports.receiveMessage().redisUnansweredPolls(), "a dead process is not a busy Redis");
    agent.answer(redis(true, true));
    assertEquals(0, reports.receiveMessage().redisUnansweredPolls());
    testKit.stop(actor);
  }

  @Test
  void aGonePodsLastAddressIsPolledAgainSoonWhileItStillAnswers() throws Exception {
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    // A long interval: any quick second poll comes from the pod being gone.
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(30), Duration.ofMillis(500)));
    agent.answer(primary());
    reports.receiveMessage();
    actor.tell(PodCommand.PodGone.INSTANCE);
    agent.answer(primary()); // polled at once; its processes are not killed yet
    reports.receiveMessage();
    agent.fail(PollFailure.CONNECTION_REFUSED); // polled again within GONE_REPOLL, not 30 s later
    assertEquals(PollFailure.CONNECTION_REFUSED, reports.receiveMessage().lastFailure());
    await("after the refusal the normal interval applies")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(agent.pending::isEmpty);
    testKit.stop(actor);
  }

  @Test
  void aGonePodsLastAddressIsPolledAgainSoonAfterAFailureThatIsNoRefusal() throws Exception {
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofSeconds(30), Duration.ofMillis(500)));
    agent.answer(primary());
    reports.receiveMessage();
    actor.tell(PodCommand.PodGone.INSTANCE);
    // The dying agent resets the connection of the poll sent at once: that proves nothing.
    agent.fail(PollFailure.TIMEOUT);
    assertEquals(PollFailure.TIMEOUT, reports.receiveMessage().lastFailure());
    agent.fail(PollFailure.CONNECTION_REFUSED); // polled again within GONE_REPOLL, not 30 s later
    assertEquals(PollFailure.CONNECTION_REFUSED, reports.receiveMessage().lastFailure());
    await("after the refusal the normal interval applies")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(agent.pending::isEmpty);
    testKit.stop(actor);
  }

  /** Its Redis exited, after one restart: a protocol-3 agent gives it version "v1". */
  static InstanceStatus redisDiedAfterRestart() {
    return redis(false, false).toBuilder().restartCount(1).build();
  }

  static InstanceStatus redis(boolean up, Boolean processRunning) {
    return InstanceStatus.builder("p-0")
        .role(InstanceRole.PRIMARY)
        .redisUp(up)
        .redisVersion("7.2.4")
        .masterReplId("id")
        .replicationOffset(10L)
        .masterLastIoSecondsAgo(-1L)
        .connectedReplicas(List.of())
        .configHash("h")
        .secretVersions(Map.of())
        .agentUptimeSeconds(1)
        .redisProcessRunning(processRunning)
        .build();
  }

  @Test
  void aSlowAgentNeverHasTwoPollsInFlight() throws Exception {
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    // Interval 10 ms; the agent takes 300 ms to answer each poll.
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofMillis(10), Duration.ofMillis(5)));
    for (int i = 0; i < 3; i++) {
      await("the poll held for 300 ms, and no other sent beside it")
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> agent.inFlight.get() == 1);
      agent.answer(primary());
      reports.receiveMessage();
    }
    assertEquals(1, agent.maxInFlight.get());
    testKit.stop(actor);
  }

  @Test
  void aNewAddressStartsAFreshIncarnation() {
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofMillis(50), Duration.ofMillis(40)));
    agent.answer(primary());
    reports.receiveMessage();
    actor.tell(new PodCommand.Target(null, null, Duration.ofMillis(50), Duration.ofMillis(40)));
    PodReport gone = reports.receiveMessage();
    assertEquals(PollFailure.NO_ADDRESS, gone.lastFailure());
    assertNull(gone.status(), "the old incarnation's status is forgotten");
    actor.tell(
        new PodCommand.Target("10.0.0.9", null, Duration.ofMillis(50), Duration.ofMillis(40)));
    agent.answer(primary());
    PodReport fresh = reports.receiveMessage();
    assertEquals("10.0.0.9", fresh.podIP());
    assertTrue(agent.hosts.contains("10.0.0.9"));
    testKit.stop(actor);
  }

  @Test
  void pollNowPollsAtOnceAndAgainWhenAPollWasAlreadyInFlight() {
    ScriptedAgent agent = new ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor = spawn("p-0", agent, contacts, reports);
    // An interval far longer than the test: every poll after the first is one we asked for.
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofMinutes(5), Duration.ofMillis(40)));
    agent.answer(primary());
    reports.receiveMessage();

    actor.tell(PodCommand.PollNow.INSTANCE);
    agent.answer(primary());
    reports.receiveMessage(Duration.ofSeconds(3));

    // Asked while the next poll is in flight: its answer may predate the change, so one more
    // follows at once.
    actor.tell(PodCommand.PollNow.INSTANCE);
    agent.awaitPendingCount(1);
    actor.tell(PodCommand.PollNow.INSTANCE);
    agent.answer(primary());
    reports.receiveMessage(Duration.ofSeconds(3));
    agent.answer(primary());
    reports.receiveMessage(Duration.ofSeconds(3));
    assertEquals(1, agent.maxInFlight.get(), "never two polls at once");
    testKit.stop(actor);
  }
}
