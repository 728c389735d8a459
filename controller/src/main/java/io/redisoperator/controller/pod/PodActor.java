package io.redisoperator.controller.pod;

import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.agent.AgentClient.VersionedStatus;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.observation.PollFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Polls one data pod's agent ({@code GET /v1/status}) and reports each outcome to its cluster
 * actor. One poll is in flight at a time, plus at most one urgent poll beside a held long-poll;
 * what each asks for and when the next is sent is {@link PollSchedule}'s, what the outcomes add up
 * to is {@link PollRecord}'s. Beside a primary's plain polls a held watch ({@link
 * PollSchedule#watchBeside}) makes the actor poll the moment the agent's status changes; the plain
 * polls then go on a connection of their own ({@link AgentClient#urgentStatus}).
 */
public final class PodActor extends AbstractBehavior<PodActor.Command> {

  public sealed interface Command {}

  /**
   * Where and how to poll; sent on start and whenever the pod's IP, the credentials or the interval
   * change.
   */
  public record Target(
      String podIP, AgentCredentials credentials, Duration interval, Duration timeout)
      implements Command {}

  private enum Poll implements Command {
    INSTANCE
  }

  /**
   * Poll now rather than at the next interval: the cluster actor knows the instance just changed (a
   * handoff).
   */
  public enum PollNow implements Command {
    INSTANCE
  }

  /**
   * The pod object is gone or going (deleted, Failed): poll its last address now, and again every
   * {@link #GONE_REPOLL} until a poll is refused, so that the refusal that proves its processes
   * gone is seen at once. An answer (the processes are being killed) and a failure that proves
   * nothing (a connection reset by the dying agent, a timeout) both leave it polled quickly.
   */
  public enum PodGone implements Command {
    INSTANCE
  }

  static final Duration GONE_REPOLL = Duration.ofMillis(100);

  /**
   * @param urgent sent beside a held long-poll; the held one schedules the next poll
   */
  private record Polled(
      String podIP,
      VersionedStatus answer,
      Throwable failure,
      long startedNanos,
      Instant requestedAt,
      boolean urgent)
      implements Command {}

  /**
   * The watch's answer (or failure). Neither is reported: a held request's silence is no missed
   * poll, and its answer only says that the status changed.
   */
  private record Watched(String podIP, VersionedStatus answer, Throwable failure)
      implements Command {}

  private enum Watch implements Command {
    INSTANCE
  }

  private final String podName;
  private final AgentClient agents;
  private final ActorRef<PodReport> reportTo;
  private final OperatorMetrics metrics;
  private final TimerScheduler<Command> timers;
  private final Clock clock;
  private final PollRecord record = new PollRecord();
  private Target target;
  private boolean inFlight;

  /** The poll in flight is a long-poll the agent may hold. */
  private boolean inFlightHeld;

  private boolean urgentInFlight;

  /** A watch is held by the agent beside the plain polls. */
  private boolean watchInFlight;

  /**
   * The last watch failed: the next waits one interval (an agent that refuses watches but answers
   * polls must not get a poll after every refused watch).
   */
  private boolean watchPaused;

  /**
   * A poll-now request arrived while a plain poll was in flight: that answer may predate the
   * change, poll again.
   */
  private boolean pollAgain;

  /** The pod object is gone or going and its last address has not refused a poll since. */
  private boolean goneUntilRefused;

  /** No address was ever polled: the first poll waits its share of the start-up ramp. */
  private boolean firstTarget = true;

  public static Behavior<Command> create(
      String podName,
      AgentClient agents,
      ActorRef<PodReport> reportTo,
      OperatorMetrics metrics,
      Clock clock) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new PodActor(context, timers, podName, agents, reportTo, metrics, clock)));
  }

  private PodActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String podName,
      AgentClient agents,
      ActorRef<PodReport> reportTo,
      OperatorMetrics metrics,
      Clock clock) {
    super(context);
    this.timers = timers;
    this.podName = podName;
    this.agents = agents;
    this.reportTo = reportTo;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Target.class, this::onTarget)
        .onMessageEquals(Poll.INSTANCE, this::onPoll)
        .onMessageEquals(PollNow.INSTANCE, this::onPollNow)
        .onMessageEquals(PodGone.INSTANCE, this::onPodGone)
        .onMessage(Polled.class, this::onPolled)
        .onMessageEquals(Watch.INSTANCE, this::onWatch)
        .onMessage(Watched.class, this::onWatched)
        .build();
  }

  private Behavior<Command> onTarget(Target next) {
    boolean newAddress = target == null || !Objects.equals(target.podIP(), next.podIP());
    target = next;
    if (newAddress) {
      goneUntilRefused = false;
      record.reset();
      if (next.podIP() == null) {
        timers.cancel(Poll.INSTANCE);
        reportTo.tell(
            new PodReport(podName, null, null, null, 0, PollFailure.NO_ADDRESS, clock.instant()));
        return this;
      }
      if (!inFlight) {
        Duration ramp =
            firstTarget ? PollSchedule.firstPollDelay(podName, next.interval()) : Duration.ZERO;
        timers.startSingleTimer(Poll.INSTANCE, Poll.INSTANCE, ramp);
      }
      firstTarget = false;
    }
    return this;
  }

  private Behavior<Command> onPodGone() {
    goneUntilRefused = true;
    return onPollNow();
  }

  private Behavior<Command> onPollNow() {
    if (!inFlight) {
      timers.cancel(Poll.INSTANCE);
      getContext().getSelf().tell(Poll.INSTANCE);
    } else if (inFlightHeld && !urgentInFlight && target != null && target.podIP() != null) {
      urgentInFlight = true;
      send(PollSchedule.Request.AT_ONCE, true);
    } else {
      pollAgain = true;
    }
    return this;
  }

  private Behavior<Command> onPoll() {
    if (inFlight || target == null || target.podIP() == null) {
      return this;
    }
    inFlight = true;
    // Gone, or asked for a fresh answer while the last poll was out: answered at once, never held.
    PollSchedule.Request request =
        goneUntilRefused || pollAgain
            ? PollSchedule.Request.AT_ONCE
            : record.nextRequest(target.interval());
    pollAgain = false;
    inFlightHeld = request.since() != null;
    send(request, false);
    return this;
  }

  private void send(PollSchedule.Request request, boolean urgent) {
    String ip = target.podIP();
    long started = System.nanoTime();
    Instant requestedAt = clock.instant();
    AgentEndpoint endpoint = new AgentEndpoint(podName, ip, target.credentials());
    getContext()
        .pipeToSelf(
            urgent || watchInFlight
                ? agents.urgentStatus(endpoint, target.timeout())
                : agents.watchStatus(endpoint, request.since(), request.hold(), target.timeout()),
            (answer, failure) -> new Polled(ip, answer, failure, started, requestedAt, urgent));
  }

  /** Sends the watch after {@code delay} when one is due and none is held. */
  private void watchIfDue(Duration delay) {
    if (watchInFlight
        || watchPaused
        || goneUntilRefused
        || target == null
        || target.podIP() == null
        || !record.watchBeside(target.interval())) {
      return;
    }
    if (delay.isZero()) {
      onWatch();
    } else {
      timers.startSingleTimer(Watch.INSTANCE, Watch.INSTANCE, delay);
    }
  }

  private Behavior<Command> onWatch() {
    watchPaused = false;
    if (watchInFlight
        || target == null
        || target.podIP() == null
        || !record.watchBeside(target.interval())) {
      return this;
    }
    watchInFlight = true;
    String ip = target.podIP();
    getContext()
        .pipeToSelf(
            agents.watchStatus(
                new AgentEndpoint(podName, ip, target.credentials()),
                record.version(),
                PollSchedule.hold(target.interval()),
                target.timeout()),
            (answer, failure) -> new Watched(ip, answer, failure));
    return this;
  }

  /**
   * The watch never reports: a changed version, or a watch that failed, only makes the actor poll
   * at once, so every report (and so every piece of evidence) comes from the plain polls, in their
   * order, dated as before.
   */
  private Behavior<Command> onWatched(Watched watched) {
    watchInFlight = false;
    if (target == null || !Objects.equals(watched.podIP(), target.podIP())) {
      return this;
    }
    if (watched.failure() != null) {
      getContext()
          .getLog()
          .debug("watch of {} failed: {}", podName, watched.failure().getMessage());
      watchPaused = true;
      timers.startSingleTimer(Watch.INSTANCE, Watch.INSTANCE, target.interval());
      return onPollNow();
    }
    if (!Objects.equals(watched.answer().version(), record.version())) {
      // Changed: the poll's answer sends the next watch.
      return onPollNow();
    }
    watchIfDue(PollSchedule.MIN_GAP);
    return this;
  }

  private Behavior<Command> onPolled(Polled polled) {
    long elapsedNanos = System.nanoTime() - polled.startedNanos();
    if (polled.urgent()) {
      urgentInFlight = false;
    } else {
      inFlight = false;
      inFlightHeld = false;
      metrics.recordPoll(Duration.ofNanos(elapsedNanos));
    }
    if (target == null || target.podIP() == null) {
      return this;
    }
    if (!Objects.equals(polled.podIP(), target.podIP())) {
      if (!polled.urgent()) {
        // The answer is from a previous address: poll the new one right away.
        getContext().getSelf().tell(Poll.INSTANCE);
      }
      return this;
    }
    PollFailure failure;
    if (polled.failure() == null) {
      record.answered(polled.answer().status(), polled.answer().version(), clock.instant());
      failure = PollFailure.NONE;
    } else {
      record.failed(polled.requestedAt());
      failure = AgentCallException.classify(polled.failure());
      getContext()
          .getLog()
          .debug("poll of {} failed ({}): {}", podName, failure, polled.failure().getMessage());
    }
    reportTo.tell(record.report(podName, target.podIP(), failure, polled.requestedAt()));
    goneUntilRefused &= failure != PollFailure.CONNECTION_REFUSED;
    watchIfDue(Duration.ZERO);
    if (polled.urgent()) {
      return this;
    }
    // The next poll is held by the agent: it may go at once. Otherwise one interval after this one
    // started.
    boolean nextHeld =
        polled.failure() == null && record.nextRequest(target.interval()).since() != null;
    Duration wait =
        goneUntilRefused && GONE_REPOLL.compareTo(target.interval()) < 0
            ? GONE_REPOLL.minusNanos(elapsedNanos)
            : PollSchedule.delayAfter(
                polled.failure() == null,
                nextHeld,
                Duration.ofNanos(elapsedNanos),
                target.interval());
    if (pollAgain || wait.isNegative()) {
      wait = Duration.ZERO;
    }
    timers.startSingleTimer(Poll.INSTANCE, Poll.INSTANCE, wait);
    return this;
  }
}
