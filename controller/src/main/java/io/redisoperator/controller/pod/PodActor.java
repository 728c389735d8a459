package io.redisoperator.controller.pod;

import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.agent.AgentClient.VersionedStatus;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.InternalCommand.ContactGranted;
import io.redisoperator.controller.pod.InternalCommand.Overdue;
import io.redisoperator.controller.pod.InternalCommand.Poll;
import io.redisoperator.controller.pod.InternalCommand.Polled;
import io.redisoperator.controller.pod.InternalCommand.Watch;
import io.redisoperator.controller.pod.InternalCommand.Watched;
import io.redisoperator.controller.pod.PodCommand.PodGone;
import io.redisoperator.controller.pod.PodCommand.PollNow;
import io.redisoperator.controller.pod.PodCommand.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Polls one data pod's agent ({@code GET /v1/status}) and reports each outcome to its cluster
 * actor. One poll is in flight at a time, plus at most one urgent poll beside a held long-poll;
 * what each asks for and when the next is sent is {@link PollSchedule}'s, what the outcomes add up
 * to is {@link PollRecord}'s, which polls are out and what the next must be is {@link
 * PollsInFlight}'s. Beside a primary's plain polls a held {@link StatusWatch} makes the actor poll
 * the moment the agent's status changes; the plain polls then go on a connection of their own
 * ({@link AgentClient#urgentStatus}).
 *
 * <p>A poll that opens a connection (the pod's first, or a replica's after a failed one) waits for
 * a place among the controller's {@link NewConnections} (the recorded primary first), so a start
 * with hundreds of pods does not spend the controller's core on handshakes that all time out
 * together. A primary that answered once, a pod whose object is gone, and a poll asked for while
 * another was out are never held there. While first contacts wait, the pods that answered already
 * are polled at a slower pace and no first watch goes out ({@link
 * NewConnections#firstContactsWaiting}): a restart is a backlog, the pods not heard from go first.
 */
public final class PodActor extends AbstractBehavior<PodCommand> {

  /** The timer key of the plain poll's {@link Overdue}. */
  private static final Object OVERDUE_TIMER = new Object();

  private final String podName;
  private final PodLog log;
  private final AgentClient agents;
  private final ActorRef<PodReport> reportTo;
  private final OperatorMetrics metrics;
  private final TimerScheduler<PodCommand> timers;
  private final Clock clock;
  private final ConnectionPlace place;
  private final AnswerPace answerPace;
  private final PollRecord record = new PollRecord();
  private final PollsInFlight polls = new PollsInFlight();
  private final StatusWatch watch = new StatusWatch();

  private Target target;

  public static Behavior<PodCommand> create(
      String podName,
      PodLog log,
      AgentClient agents,
      NewConnections newConnections,
      AnswerPace answerPace,
      ActorRef<PodReport> reportTo,
      OperatorMetrics metrics,
      Clock clock) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new PodActor(
                        context,
                        timers,
                        podName,
                        log,
                        agents,
                        newConnections,
                        answerPace,
                        reportTo,
                        metrics,
                        clock)));
  }

  private PodActor(
      ActorContext<PodCommand> context,
      TimerScheduler<PodCommand> timers,
      String podName,
      PodLog log,
      AgentClient agents,
      NewConnections newConnections,
      AnswerPace answerPace,
      ActorRef<PodReport> reportTo,
      OperatorMetrics metrics,
      Clock clock) {
    super(context);
    this.timers = timers;
    this.podName = podName;
    this.log = log;
    this.agents = agents;
    this.place = new ConnectionPlace(newConnections);
    this.answerPace = answerPace;
    this.reportTo = reportTo;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Receive<PodCommand> createReceive() {
    return newReceiveBuilder()
        .onMessage(Target.class, this::onTarget)
        .onMessageEquals(Poll.INSTANCE, this::onPoll)
        .onMessageEquals(PollNow.INSTANCE, this::onPollNow)
        .onMessageEquals(PodGone.INSTANCE, this::onPodGone)
        .onMessage(Polled.class, this::onPolled)
        .onMessageEquals(Watch.INSTANCE, this::onWatch)
        .onMessage(Watched.class, this::onWatched)
        .onMessage(Overdue.class, this::onOverdue)
        .onMessageEquals(ContactGranted.INSTANCE, this::onContactGranted)
        .onSignal(PostStop.class, signal -> releaseContact())
        .onSignal(PreRestart.class, signal -> releaseContact())
        .build();
  }

  private Behavior<PodCommand> onTarget(Target next) {
    boolean newAddress = target == null || !Objects.equals(target.podIP(), next.podIP());
    target = next;
    if (newAddress) {
      polls.newAddress();
      watch.newAddress();
      record.reset();
      if (next.podIP() == null) {
        timers.cancel(Poll.INSTANCE);
        reportTo.tell(
            new PodReport(podName, null, null, null, 0, PollFailure.NO_ADDRESS, clock.instant()));
        return this;
      }
      if (!polls.plainOut()) {
        timers.startSingleTimer(Poll.INSTANCE, Poll.INSTANCE, Duration.ZERO);
      }
    }
    return this;
  }

  private Behavior<PodCommand> onPodGone() {
    polls.podGone();
    return onPollNow();
  }

  private Behavior<PodCommand> onPollNow() {
    switch (polls.pollNow(hasAddress())) {
      case POLL -> {
        timers.cancel(Poll.INSTANCE);
        getContext().getSelf().tell(Poll.INSTANCE);
      }
      case URGENT_BESIDE -> send(PollSchedule.Request.AT_ONCE, true, false);
      case AFTER_THE_ONE_OUT -> {}
    }
    return this;
  }

  private boolean hasAddress() {
    return target != null && target.podIP() != null;
  }

  private Behavior<PodCommand> onPoll() {
    if (polls.plainOut() || !hasAddress()) {
      return this;
    }
    if (polls.opensConnection(record, target.recordedPrimary()) && !place.granted()) {
      ActorRef<PodCommand> self = getContext().getSelf();
      // A first contact is the first poll at this address; one that failed asks again as a
      // reconnection (a pod on a lost node is no backlog: NewConnections.firstContactsWaiting).
      place.ask(
          target.recordedPrimary(),
          !record.answeredOnce() && !record.failedSinceAnswer(),
          () -> self.tell(ContactGranted.INSTANCE));
      return this;
    }
    send(polls.sendPlain(record, target.interval()), false, place.granted());
    if (watch.firstBesidePoll(place.firstContactsWaiting())) {
      watchIfDue(Duration.ZERO);
    }
    return this;
  }

  private Behavior<PodCommand> onContactGranted() {
    if (!place.granted()) {
      // Read after the place was taken back (a dispatcher more than GRANT_LIMIT behind, as in a
      // start-up of 1000 clusters on one core): nothing else would wake the poll that waits for
      // it, so it asks again. Any other stale grant (the place was returned) changes nothing.
      return place.takenBack() ? onPoll() : this;
    }
    if (polls.plainOut() || !hasAddress()) {
      // A poll went without it (the pod is gone), or there is no address to contact.
      return releaseContact();
    }
    return onPoll();
  }

  private Behavior<PodCommand> releaseContact() {
    place.release();
    return this;
  }

  /**
   * @param withPlace this poll takes the place granted among the new connections
   */
  private void send(PollSchedule.Request request, boolean urgent, boolean withPlace) {
    String ip = target.podIP();
    long started = System.nanoTime();
    Instant requestedAt = clock.instant();
    AgentEndpoint endpoint = new AgentEndpoint(podName, ip, target.credentials());
    Duration timeout =
        PollSchedule.timeout(
            target.timeout(), polls.firstContactTimeout(record, target.recordedPrimary()));
    // Answered "unchanged" at a fraction of a full answer's cost while the version is the known
    // one.
    VersionedStatus known = record.known();
    CompletionStage<VersionedStatus> call =
        urgent || watch.held()
            ? agents.urgentStatus(endpoint, timeout, known)
            : agents.watchStatus(endpoint, request.since(), request.hold(), timeout, known);
    if (withPlace) {
      call = place.handTo(call);
    }
    if (!urgent) {
      call = polls.trackPlain(call, requestedAt);
      record
          .overdueAfter(target.timeout(), place.firstContactsWaiting())
          .ifPresent(
              after ->
                  timers.startSingleTimer(
                      OVERDUE_TIMER, new Overdue(ip, requestedAt, requestedAt.plus(after)), after));
    }
    getContext()
        .pipeToSelf(
            call,
            (answer, failure) -> new Polled(ip, answer, failure, started, requestedAt, urgent));
  }

  /** Sends the watch after {@code delay} when one is due and none is held. */
  private void watchIfDue(Duration delay) {
    if (!watch.due(target, record, polls.gone())) {
      return;
    }
    if (delay.isZero()) {
      onWatch();
    } else {
      timers.startSingleTimer(Watch.INSTANCE, Watch.INSTANCE, delay);
    }
  }

  private Behavior<PodCommand> onWatch() {
    if (!watch.start(target, record)) {
      return this;
    }
    String ip = target.podIP();
    getContext()
        .pipeToSelf(
            agents.watchStatus(
                new AgentEndpoint(podName, ip, target.credentials()),
                record.version(),
                PollSchedule.hold(target.interval()),
                target.timeout(),
                record.known()),
            (answer, failure) -> new Watched(ip, answer, failure));
    return this;
  }

  /** The watch never reports: it only makes the actor poll at once ({@link StatusWatch}). */
  private Behavior<PodCommand> onWatched(Watched watched) {
    boolean failed = watched.failure() != null;
    String version = failed ? null : watched.answer().version();
    switch (watch.ended(target, watched.podIP(), failed, version, record.version())) {
      case NOTHING -> {}
      case POLL_NOW -> onPollNow();
      case POLL_NOW_AND_WATCH_LATER -> {
        log.debug("watch of {} failed: {}", podName, watched.failure().getMessage());
        timers.startSingleTimer(Watch.INSTANCE, Watch.INSTANCE, target.interval());
        onPollNow();
      }
      case WATCH_AGAIN -> watchIfDue(PollSchedule.MIN_GAP);
    }
    return this;
  }

  /**
   * A primary's plain poll still in flight past {@link PollSchedule#OVERDUE}: reported as
   * unanswered since it was sent (not as failed: it counts towards no threshold), so the
   * unreachable record is written without waiting for the poll's timeout. Handled late, it waits
   * again first; while the controller's answers are slow, the timeout decides ({@link
   * PollSchedule#overdueStep}).
   */
  private Behavior<PodCommand> onOverdue(Overdue overdue) {
    if (!polls.concerns(overdue, target)) {
      return this;
    }
    Instant now = clock.instant();
    PollSchedule.OverdueStep step =
        polls.overdueStep(overdue, now, agents.lateness(), target.timeout(), answerPace.slow());
    if (step instanceof PollSchedule.OverdueStep.Wait wait) {
      Instant due = now.plus(wait.delay());
      timers.startSingleTimer(
          OVERDUE_TIMER, new Overdue(overdue.podIP(), overdue.requestedAt(), due), wait.delay());
      return this;
    }
    if (step instanceof PollSchedule.OverdueStep.Report
        && record.overdue(overdue.requestedAt(), polls.plainCompleted())) {
      reportTo.tell(
          record.report(podName, target.podIP(), PollFailure.NONE, overdue.requestedAt()));
    }
    return this;
  }

  private Behavior<PodCommand> onPolled(Polled polled) {
    long elapsedNanos = System.nanoTime() - polled.startedNanos();
    if (polled.failure() == null && (polled.urgent() || !polls.plainHeld())) {
      answerPace.answered(Duration.ofNanos(elapsedNanos));
    }
    polls.ended(polled.urgent());
    if (!polled.urgent()) {
      timers.cancel(OVERDUE_TIMER);
      metrics.recordPoll(Duration.ofNanos(elapsedNanos));
      // In case the place was not handed to the call (returned twice does nothing).
      releaseContact();
    }
    if (!hasAddress()) {
      return this;
    }
    if (!Objects.equals(polled.podIP(), target.podIP())) {
      if (!polled.urgent()) {
        // The answer is from a previous address: poll the new one right away.
        getContext().getSelf().tell(Poll.INSTANCE);
      }
      return this;
    }
    PollFailure failure = PollFailure.NONE;
    if (polled.failure() != null) {
      failure = AgentCallException.classify(polled.failure());
      log.debug("poll of {} failed ({}): {}", podName, failure, polled.failure().getMessage());
    }
    // Empty when the agent read this answer before one recorded already (an urgent poll's answer
    // that arrived after a held one's).
    record
        .polled(
            podName,
            target.podIP(),
            polled.failure() == null ? polled.answer() : null,
            failure,
            polled.requestedAt(),
            clock.instant())
        .ifPresent(reportTo::tell);
    polls.outcome(failure);
    if (watch.sentOnce()) {
      watchIfDue(Duration.ZERO);
    }
    if (polled.urgent()) {
      return this;
    }
    Duration wait =
        polls.nextDelay(
            record,
            polled.failure() == null,
            Duration.ofNanos(elapsedNanos),
            target.interval(),
            place.firstContactsWaiting());
    timers.startSingleTimer(Poll.INSTANCE, Poll.INSTANCE, wait);
    return this;
  }
}
