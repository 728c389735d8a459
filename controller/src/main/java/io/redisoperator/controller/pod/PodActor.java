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
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * to is {@link PollRecord}'s. Beside a primary's plain polls a held watch ({@link
 * PollSchedule#watchBeside}) makes the actor poll the moment the agent's status changes; the plain
 * polls then go on a connection of their own ({@link AgentClient#urgentStatus}).
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

  static final Duration GONE_REPOLL = Duration.ofMillis(100);

  /** The timer key of the plain poll's {@link Overdue}. */
  private static final Object OVERDUE_TIMER = new Object();

  private final String podName;
  private final AgentClient agents;
  private final ActorRef<PodReport> reportTo;
  private final OperatorMetrics metrics;
  private final TimerScheduler<PodCommand> timers;
  private final Clock clock;
  private final ConnectionPlace place;
  private final PollRecord record = new PollRecord();

  private Target target;
  private boolean inFlight;

  /** The poll in flight is a long-poll the agent may hold. */
  private boolean inFlightHeld;

  private boolean urgentInFlight;

  /** When the plain poll in flight was sent. */
  private Instant inFlightRequestedAt;

  /** Whether the plain poll in flight has completed (set by the call, before the actor sees it). */
  private AtomicBoolean inFlightCompleted = new AtomicBoolean();

  /** A watch is held by the agent beside the plain polls. */
  private boolean watchInFlight;

  /**
   * This incarnation has sent a watch: the pool holds a connection for it beside the plain polls'.
   * The first one is sent while a plain poll holds its connection, so the pool opens the second
   * connection (a TLS handshake) for the watch; sent right after an answer, it took the idle
   * connection and the next plain poll paid the handshake, which on a controller busy contacting
   * every pod after a restart overran the poll's overdue time (a status write and its removal).
   */
  private boolean watchSent;

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

  public static Behavior<PodCommand> create(
      String podName,
      AgentClient agents,
      NewConnections newConnections,
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
                        agents,
                        newConnections,
                        reportTo,
                        metrics,
                        clock)));
  }

  private PodActor(
      ActorContext<PodCommand> context,
      TimerScheduler<PodCommand> timers,
      String podName,
      AgentClient agents,
      NewConnections newConnections,
      ActorRef<PodReport> reportTo,
      OperatorMetrics metrics,
      Clock clock) {
    super(context);
    this.timers = timers;
    this.podName = podName;
    this.agents = agents;
    this.place = new ConnectionPlace(newConnections);
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
      goneUntilRefused = false;
      watchSent = false;
      record.reset();
      if (next.podIP() == null) {
        timers.cancel(Poll.INSTANCE);
        reportTo.tell(
            new PodReport(podName, null, null, null, 0, PollFailure.NO_ADDRESS, clock.instant()));
        return this;
      }
      if (!inFlight) {
        timers.startSingleTimer(Poll.INSTANCE, Poll.INSTANCE, Duration.ZERO);
      }
    }
    return this;
  }

  private Behavior<PodCommand> onPodGone() {
    goneUntilRefused = true;
    return onPollNow();
  }

  private Behavior<PodCommand> onPollNow() {
    if (!inFlight) {
      timers.cancel(Poll.INSTANCE);
      getContext().getSelf().tell(Poll.INSTANCE);
    } else if (inFlightHeld && !urgentInFlight && target != null && target.podIP() != null) {
      urgentInFlight = true;
      send(PollSchedule.Request.AT_ONCE, true, false);
    } else {
      pollAgain = true;
    }
    return this;
  }

  private Behavior<PodCommand> onPoll() {
    if (inFlight || target == null || target.podIP() == null) {
      return this;
    }
    if (opensConnection() && !place.granted()) {
      ActorRef<PodCommand> self = getContext().getSelf();
      // A first contact is the first poll at this address; one that failed asks again as a
      // reconnection (a pod on a lost node is no backlog: NewConnections.firstContactsWaiting).
      place.ask(
          target.recordedPrimary(),
          !record.answeredOnce() && !record.failedSinceAnswer(),
          () -> self.tell(ContactGranted.INSTANCE));
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
    send(request, false, place.granted());
    if (!watchSent && !place.firstContactsWaiting()) {
      // Beside this poll (see watchSent); while other pods' first contacts wait, its connection's
      // handshake would be one more in their way: it goes beside the first poll after them.
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
    if (inFlight || target == null || target.podIP() == null) {
      // A poll went without it (the pod is gone), or there is no address to contact.
      return releaseContact();
    }
    return onPoll();
  }

  /**
   * Whether the next plain poll opens a connection that waits for a place: the first at this
   * address, or one after a failed poll (reset with its connection), unless the pod is (or answered
   * as) the primary, whose polls are the failover's evidence, or is gone (polled until refused), or
   * a fresh answer was asked for while a poll was out.
   */
  private boolean opensConnection() {
    if (goneUntilRefused || pollAgain) {
      return false;
    }
    if (!record.answeredOnce()) {
      return true;
    }
    return record.failedSinceAnswer() && !target.recordedPrimary() && !record.answeredAsPrimary();
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
            target.timeout(),
            !record.answeredOnce() && !target.recordedPrimary() && !goneUntilRefused);
    // Answered "unchanged" at a fraction of a full answer's cost while the version is the known
    // one.
    VersionedStatus known = record.known();
    CompletionStage<VersionedStatus> call =
        urgent || watchInFlight
            ? agents.urgentStatus(endpoint, timeout, known)
            : agents.watchStatus(endpoint, request.since(), request.hold(), timeout, known);
    if (withPlace) {
      call = place.handTo(call);
    }
    if (!urgent) {
      AtomicBoolean completed = new AtomicBoolean();
      call = call.whenComplete((answer, failure) -> completed.set(true));
      inFlightCompleted = completed;
      inFlightRequestedAt = requestedAt;
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

  private Behavior<PodCommand> onWatch() {
    watchPaused = false;
    if (watchInFlight
        || target == null
        || target.podIP() == null
        || !record.watchBeside(target.interval())) {
      return this;
    }
    watchInFlight = true;
    watchSent = true;
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

  /**
   * The watch never reports: a changed version, or a watch that failed, only makes the actor poll
   * at once, so every report (and so every piece of evidence) comes from the plain polls, in their
   * order, dated as before.
   */
  private Behavior<PodCommand> onWatched(Watched watched) {
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

  /**
   * A primary's plain poll still in flight past {@link PollSchedule#OVERDUE}: reported as
   * unanswered since it was sent (not as failed: it counts towards no threshold), so the
   * unreachable record is written without waiting for the poll's timeout. Handled late, it waits
   * again first ({@link PollSchedule#overdueDeferral}).
   */
  private Behavior<PodCommand> onOverdue(Overdue overdue) {
    if (!inFlight
        || target == null
        || !Objects.equals(overdue.podIP(), target.podIP())
        || !overdue.requestedAt().equals(inFlightRequestedAt)) {
      return this;
    }
    Instant now = clock.instant();
    // This actor handled the timer late, or the event loops that would read the answer run late:
    // the answer may be waiting behind the same busy core.
    Duration handledLate = Duration.between(overdue.due(), now);
    Duration loopsLate = agents.lateness();
    Optional<Duration> deferral =
        PollSchedule.overdueDeferral(
            handledLate.compareTo(loopsLate) >= 0 ? handledLate : loopsLate,
            Duration.between(overdue.requestedAt(), now),
            target.timeout());
    if (deferral.isPresent() && !inFlightCompleted.get()) {
      Instant due = now.plus(deferral.get());
      timers.startSingleTimer(
          OVERDUE_TIMER, new Overdue(overdue.podIP(), overdue.requestedAt(), due), deferral.get());
      return this;
    }
    if (record.overdue(overdue.requestedAt(), inFlightCompleted.get())) {
      reportTo.tell(
          record.report(podName, target.podIP(), PollFailure.NONE, overdue.requestedAt()));
    }
    return this;
  }

  private Behavior<PodCommand> onPolled(Polled polled) {
    long elapsedNanos = System.nanoTime() - polled.startedNanos();
    if (polled.urgent()) {
      urgentInFlight = false;
    } else {
      inFlight = false;
      inFlightHeld = false;
      timers.cancel(OVERDUE_TIMER);
      metrics.recordPoll(Duration.ofNanos(elapsedNanos));
      // In case the place was not handed to the call (returned twice does nothing).
      releaseContact();
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
    Optional<Instant> dated = Optional.of(polled.requestedAt());
    if (polled.failure() == null) {
      // Empty: the agent read this answer before one recorded already (an urgent poll's answer
      // that arrived after a held one's).
      dated =
          record.answered(
              polled.answer().status(),
              polled.answer().version(),
              clock.instant(),
              polled.requestedAt());
      failure = PollFailure.NONE;
    } else {
      record.failed(polled.requestedAt());
      failure = AgentCallException.classify(polled.failure());
      getContext()
          .getLog()
          .debug("poll of {} failed ({}): {}", podName, failure, polled.failure().getMessage());
    }
    if (dated.isPresent()) {
      reportTo.tell(record.report(podName, target.podIP(), failure, dated.get()));
    }
    goneUntilRefused &= failure != PollFailure.CONNECTION_REFUSED;
    if (watchSent) {
      watchIfDue(Duration.ZERO);
    }
    if (polled.urgent()) {
      return this;
    }
    // The next poll is held by the agent: it may go at once. Otherwise one period after this one
    // started (half the interval for an answering primary, slower while other pods' first contacts
    // wait: PollSchedule.plainInterval).
    boolean nextHeld =
        polled.failure() == null && record.nextRequest(target.interval()).since() != null;
    Duration wait =
        goneUntilRefused && GONE_REPOLL.compareTo(target.interval()) < 0
            ? GONE_REPOLL.minusNanos(elapsedNanos)
            : PollSchedule.delayAfter(
                polled.failure() == null,
                nextHeld,
                Duration.ofNanos(elapsedNanos),
                record.plainInterval(target.interval(), place.firstContactsWaiting()));
    if (pollAgain || wait.isNegative()) {
      wait = Duration.ZERO;
    }
    timers.startSingleTimer(Poll.INSTANCE, Poll.INSTANCE, wait);
    return this;
  }
}
