package io.redisoperator.controller.pod;

import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.InstanceStatus;
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
 * Polls one data pod's agent ({@code GET /v1/status}) and reports each outcome to its cluster actor. At most one poll
 * is in flight: the next is scheduled only when the previous one has answered or timed out, one interval after it
 * started, so a slow agent costs one timeout per interval and never a pile-up.
 */
public final class PodActor extends AbstractBehavior<PodActor.Command> {

  public sealed interface Command {}

  /** Where and how to poll; sent on start and whenever the pod's IP, the credentials or the interval change. */
  public record Target(String podIP, AgentCredentials credentials, Duration interval, Duration timeout) implements Command {}

  private enum Poll implements Command {
    INSTANCE
  }

  /** Poll now rather than at the next interval: the cluster actor knows the instance just changed (a handoff). */
  public enum PollNow implements Command {
    INSTANCE
  }

  /**
   * The pod object is gone: poll its last address now, and again every {@link #GONE_REPOLL} while the agent still
   * answers (its processes are being killed), so that the refusal that proves them gone is seen at once.
   */
  public enum PodGone implements Command {
    INSTANCE
  }

  static final Duration GONE_REPOLL = Duration.ofMillis(100);

  private record Polled(String podIP, InstanceStatus status, Throwable failure, long startedNanos, Instant requestedAt)
      implements Command {}

  private final String podName;
  private final AgentClient agents;
  private final ActorRef<PodReport> reportTo;
  private final OperatorMetrics metrics;
  private final TimerScheduler<Command> timers;
  private final Clock clock;
  private Target target;
  private boolean inFlight;
  /** A poll-now request arrived while a poll was in flight: that answer may predate the change, poll again at once. */
  private boolean pollAgain;
  /** The pod object is gone and its last address has answered every poll since. */
  private boolean goneButAnswering;
  private InstanceStatus lastStatus;
  private Instant lastSeen;
  private int consecutiveFailures;
  /** Send time of the first poll left unanswered since the last answer; null while the agent answers. */
  private Instant unansweredSince;
  private int redisUnansweredPolls;

  public static Behavior<Command> create(
      String podName, AgentClient agents, ActorRef<PodReport> reportTo, OperatorMetrics metrics, Clock clock) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new PodActor(context, timers, podName, agents, reportTo, metrics, clock)));
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
        .build();
  }

  private Behavior<Command> onTarget(Target next) {
    boolean newAddress = target == null || !Objects.equals(target.podIP(), next.podIP());
    target = next;
    if (newAddress) {
      goneButAnswering = false;
      // A new IP is a new pod incarnation: what the previous one said no longer describes it.
      lastStatus = null;
      lastSeen = null;
      consecutiveFailures = 0;
      unansweredSince = null;
      redisUnansweredPolls = 0;
      if (next.podIP() == null) {
        timers.cancel(Poll.INSTANCE);
        reportTo.tell(new PodReport(podName, null, null, null, 0, PollFailure.NO_ADDRESS, clock.instant()));
        return this;
      }
      if (!inFlight) {
        timers.cancel(Poll.INSTANCE);
        getContext().getSelf().tell(Poll.INSTANCE);
      }
    }
    return this;
  }

  private Behavior<Command> onPodGone() {
    goneButAnswering = true;
    return onPollNow();
  }

  private Behavior<Command> onPollNow() {
    if (inFlight) {
      pollAgain = true;
    } else {
      timers.cancel(Poll.INSTANCE);
      getContext().getSelf().tell(Poll.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onPoll() {
    if (inFlight || target == null || target.podIP() == null) {
      return this;
    }
    inFlight = true;
    String ip = target.podIP();
    long started = System.nanoTime();
    Instant requestedAt = clock.instant();
    getContext()
        .pipeToSelf(
            agents.status(new AgentEndpoint(podName, ip, target.credentials()), target.timeout()),
            (status, failure) -> new Polled(ip, status, failure, started, requestedAt));
    return this;
  }

  private Behavior<Command> onPolled(Polled polled) {
    inFlight = false;
    long elapsedNanos = System.nanoTime() - polled.startedNanos();
    metrics.recordPoll(Duration.ofNanos(elapsedNanos));
    if (target == null || target.podIP() == null) {
      return this;
    }
    if (!Objects.equals(polled.podIP(), target.podIP())) {
      // The answer is from a previous address: poll the new one right away.
      getContext().getSelf().tell(Poll.INSTANCE);
      return this;
    }
    PollFailure failure;
    if (polled.failure() == null) {
      lastStatus = polled.status();
      lastSeen = clock.instant();
      consecutiveFailures = 0;
      unansweredSince = null;
      failure = PollFailure.NONE;
      // Only a dead process is proof; a Redis that does not answer INFO in time may just be busy.
      boolean redisUnanswered = polled.status() != null && !polled.status().redisUp()
          && !polled.status().redisProcessDead();
      redisUnansweredPolls = redisUnanswered ? redisUnansweredPolls + 1 : 0;
    } else {
      consecutiveFailures++;
      failure = AgentCallException.classify(polled.failure());
      if (unansweredSince == null) {
        // Later polls would have to cross whatever stopped this one: this is the last request that may have arrived.
        unansweredSince = polled.requestedAt();
      }
      getContext().getLog().debug("poll of {} failed ({}): {}", podName, failure, polled.failure().getMessage());
    }
    reportTo.tell(
        new PodReport(podName, target.podIP(), lastStatus, lastSeen, consecutiveFailures, failure, polled.requestedAt(),
            unansweredSince, redisUnansweredPolls));
    goneButAnswering &= polled.failure() == null;
    Duration interval =
        goneButAnswering && GONE_REPOLL.compareTo(target.interval()) < 0 ? GONE_REPOLL : target.interval();
    Duration wait = pollAgain ? Duration.ZERO : interval.minusNanos(elapsedNanos);
    pollAgain = false;
    timers.startSingleTimer(Poll.INSTANCE, Poll.INSTANCE, wait.isNegative() ? Duration.ZERO : wait);
    return this;
  }
}
