package io.redisoperator.controller.pod;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.util.Optional;

/**
 * Pure: what the next status request of a pod actor asks for and when it is sent. With an agent
 * that reports a status version, the request is a long-poll the agent holds until its status
 * changes, so the actor sends the next one as soon as an answer arrives: a change shows at once, an
 * unchanged agent costs one request per hold.
 *
 * <ul>
 *   <li>A primary (or an instance whose role is unknown, or whose Redis is down) is polled as
 *       before, answered at once, one interval apart (an answering primary half an interval apart,
 *       {@link #plainInterval}): its polls are the contact that keeps it from fencing itself and
 *       the evidence the promotion gate counts from (docs/failover.md). Holding them one interval
 *       measured 2 to 3 times longer write gaps in partition failovers ({@code make
 *       bench-failover}), so they are not held.
 *   <li>A serving replica is held up to {@link #REPLICA_HOLD_INTERVALS} intervals: no self-fencing
 *       depends on its contact, its death closes the connection at once, and the cluster actor's
 *       urgent polls (before a failover's choice, after an operation) go beside a held poll.
 *   <li>After a failed poll, plain polls (answered at once) at the interval until the agent answers
 *       again, as before.
 *   <li>An agent without versions (before protocol version 3) is polled at the interval, as before;
 *       a replica whose agent's version does not move with its link's freshness (before protocol
 *       version 6) too, see {@link #versionShowsStaleLink}.
 * </ul>
 *
 * How many pods are contacted for the first time at once is {@link NewConnections}'.
 */
public final class PollSchedule {
  /**
   * Serving replicas are long-polled unless {@code -Dredisoperator.statusLongPoll=false}: with 1000
   * clusters on one controller, plain polls of every replica kept a core busy (docs/performance.md,
   * "Density"); the switch is there to compare the two ({@code make bench-failover}).
   */
  public static final String LONG_POLL_PROPERTY = "redisoperator.statusLongPoll";

  /** Whether serving replicas are long-polled ({@link #LONG_POLL_PROPERTY}, on unless false). */
  static boolean longPollsOn() {
    return !"false".equalsIgnoreCase(System.getProperty(LONG_POLL_PROPERTY));
  }

  static final int REPLICA_HOLD_INTERVALS = 10;

  /** Below the poll connection's idle timeout (10 s) by more than a poll timeout. */
  static final Duration MAX_HOLD = Duration.ofSeconds(8);

  /**
   * Never two long-polls closer than this: a status flapping faster than this is seen at this pace.
   */
  static final Duration MIN_GAP = Duration.ofMillis(50);

  private PollSchedule() {}

  /** One status request: {@code since} null answers at once. */
  public record Request(String since, Duration hold) {
    static final Request AT_ONCE = new Request(null, Duration.ZERO);
  }

  /**
   * @param last the last answer (null: none yet)
   * @param version its status version (null: the agent reports none)
   * @param failedSinceAnswer the last poll failed
   */
  public static Request next(
      InstanceStatus last, String version, boolean failedSinceAnswer, Duration interval) {
    if (!longPollsOn()
        || last == null
        || version == null
        || failedSinceAnswer
        || !servingReplica(last)
        || !versionShowsStaleLink(last)) {
      return Request.AT_ONCE;
    }
    return new Request(version, hold(interval));
  }

  /**
   * Whether a held long-poll goes beside the plain polls, to see a change at once (a primary's
   * Redis that exited: {@code AgentIT#aHeldStatusRequestAnswersAtOnceWhenRedisDies}). Only for a
   * primary answering with a status version, whose plain polls are not held: those polls stay what
   * they are, the contact that keeps it from fencing itself and the promotion gate's evidence
   * (their timing, {@code unansweredSince}, is untouched); the watch's answer, or its failure, only
   * triggers a plain poll at once.
   *
   * @param plainHeld the plain polls are long-polls already (a serving replica with long-polls on)
   */
  public static boolean watchBeside(
      InstanceStatus last, String version, boolean failedSinceAnswer, boolean plainHeld) {
    return last != null
        && version != null
        && !failedSinceAnswer
        && !plainHeld
        && last.role() == InstanceRole.PRIMARY
        && last.redisUp();
  }

  /**
   * Whether the agent's status version moves when the replica's link to its primary turns stale
   * ({@link AgentApi#LINK_FRESHNESS_IN_VERSION}). Before, a held replica kept its last report,
   * which still vouched for a primary cut off in a partition ({@code PrimaryHealthAssessor}), until
   * the hold ended: the failover waited up to 8 s for it.
   */
  static boolean versionShowsStaleLink(InstanceStatus last) {
    return last.protocolVersion() != null
        && last.protocolVersion() >= AgentApi.LINK_FRESHNESS_IN_VERSION;
  }

  static boolean servingReplica(InstanceStatus last) {
    return last.role() == InstanceRole.REPLICA && last.redisUp() && !last.redisProcessDead();
  }

  static Duration hold(Duration interval) {
    Duration longer = interval.multipliedBy(REPLICA_HOLD_INTERVALS);
    return longer.compareTo(MAX_HOLD) > 0 ? MAX_HOLD : longer;
  }

  /**
   * The first poll of a pod other than the recorded primary may take this long: it pays the TLS
   * handshakes on a controller that is starting (its JIT compiling, every cluster's first pass);
   * timed out at the poll timeout, it was reset and the next poll paid the handshake again. No
   * failover counts a replica's first poll; the recorded primary's keeps the cluster's timeout.
   */
  static final Duration FIRST_POLL_TIMEOUT = Duration.ofSeconds(2);

  /**
   * @param pollTimeout the cluster's poll timeout
   * @param firstOfReplica the pod never answered at this address and is not the recorded primary
   */
  public static Duration timeout(Duration pollTimeout, boolean firstOfReplica) {
    return firstOfReplica && pollTimeout.compareTo(FIRST_POLL_TIMEOUT) < 0
        ? FIRST_POLL_TIMEOUT
        : pollTimeout;
  }

  /**
   * A primary's poll still unanswered this long is reported unanswered (not failed): the cluster
   * actor then records the primary in {@code status.unreachableInstances} at once instead of at the
   * poll's timeout, and the promotion gate's {@code W + 2750 ms} counts from that record. An agent
   * answers a poll in milliseconds; a slower answer only costs the record and its removal.
   */
  static final Duration OVERDUE = Duration.ofMillis(250);

  /**
   * An overdue timer handled later than this says the controller was busy: see {@link
   * #overdueStep}.
   */
  static final Duration LATE_HANDLING = Duration.ofMillis(50);

  /** What a primary's overdue plain poll does when its timer is handled. */
  public sealed interface OverdueStep {
    /** Reported unanswered now. */
    record Report() implements OverdueStep {}

    /** Looked at again after {@code delay}: the controller was late, the answer may be queued. */
    record Wait(Duration delay) implements OverdueStep {}

    /** Not reported: answered already, or left to the poll's own (watched) timeout. */
    record Skip() implements OverdueStep {}
  }

  /**
   * Whether an overdue poll is reported unanswered now. Not while the controller itself is late or
   * slow, since its answer may then be waiting on the controller's side: so on a saturated
   * controller (1000 clusters on one core) answering primaries were recorded unreachable, each a
   * pass and a status write, and their answers removed the record again (docs/performance.md,
   * "Density").
   *
   * <ul>
   *   <li>The controller's answered polls are slow lately ({@link AnswerPace}): the overdue time
   *       says nothing about this agent; the poll's timeout decides.
   *   <li>The pod actor handled the overdue timer late, or the event loops that would read the
   *       answer run late: it waits as long again as the timer was late, while that stays within
   *       the poll's timeout; past it, the timeout decides.
   * </ul>
   *
   * A poll that times out is still reported failed then ({@code WatchedDeadline}), and a later
   * unreachable record only makes the promotion gate later (docs/failover.md, "Detection").
   *
   * @param handledLate how late the overdue timer was handled after it was due, or how late the
   *     agent client's event loops run ({@code AgentClient.lateness}), whichever is more
   * @param sinceRequest how long ago the poll was sent
   * @param timeout the poll's timeout
   * @param answersSlow the controller's answered polls are slow lately ({@link AnswerPace#slow})
   */
  public static OverdueStep overdueStep(
      Duration handledLate, Duration sinceRequest, Duration timeout, boolean answersSlow) {
    if (answersSlow) {
      return new OverdueStep.Skip();
    }
    if (handledLate.compareTo(LATE_HANDLING) <= 0) {
      return new OverdueStep.Report();
    }
    return sinceRequest.plus(handledLate).compareTo(timeout) < 0
        ? new OverdueStep.Wait(handledLate)
        : new OverdueStep.Skip();
  }

  /**
   * The period of an answering primary's plain polls: half the interval. In a partition the first
   * unanswered poll (the gate counts from it) then leaves at most half an interval after the cut,
   * not a whole one. After a failed poll the interval applies again, so {@code failureThreshold}
   * failed polls still span {@code (threshold - 1) x interval + timeout}.
   *
   * <p>While pods' first contacts wait for a place ({@link NewConnections#firstContactsWaiting}: a
   * restarted controller contacting every pod again), a pod that answered and is settled ({@link
   * #settled}) is polled {@link #backlogInterval} apart: the restart is a backlog, and the pods not
   * heard from yet go first. Polled at their own pace, the 1000 primaries answered first took the
   * core (2000 polls a second) from the 2000 replicas still waiting for their first poll, and a
   * restart of 1000 clusters polled every pod after 106 s (docs/performance.md, "Density"). A
   * primary whose watch is out ({@link #watchBeside}) still polls the moment its Redis exits or its
   * agent goes (a first watch waits for the backlog's end, see {@code PodActor}); a partition's
   * first unanswered poll leaves up to that pace after the cut, only while the backlog lasts.
   *
   * @param firstContactsWaiting pods' first contacts wait for a place among the new connections
   */
  public static Duration plainInterval(
      InstanceStatus last,
      boolean failedSinceAnswer,
      Duration interval,
      boolean firstContactsWaiting) {
    if (last == null || failedSinceAnswer) {
      return interval;
    }
    if (firstContactsWaiting && settled(last)) {
      return backlogInterval(interval);
    }
    return last.role() == InstanceRole.PRIMARY ? interval.dividedBy(2) : interval;
  }

  /**
   * Whether an answer shows nothing that is about to change: a primary whose Redis answers, or a
   * replica whose Redis answers with its link to its primary up. A replica still syncing (or an
   * instance of unknown role) keeps its pace, so its next step shows as soon as before (a starting
   * cluster's replicas, whose link decides when it is Healthy).
   */
  static boolean settled(InstanceStatus last) {
    if (!last.redisUp() || last.redisProcessDead()) {
      return false;
    }
    return last.role() == InstanceRole.PRIMARY
        || last.role() == InstanceRole.REPLICA && Boolean.TRUE.equals(last.masterLinkUp());
  }

  /** How many intervals apart an answered pod is polled while first contacts wait. */
  static final int BACKLOG_INTERVALS = 5;

  /**
   * {@link #BACKLOG_INTERVALS} intervals, but below the connection's idle timeout like a held poll
   * ({@link #MAX_HOLD}), so that a paced poll never pays a new handshake; never shorter than the
   * interval.
   */
  static Duration backlogInterval(Duration interval) {
    Duration paced = interval.multipliedBy(BACKLOG_INTERVALS);
    if (paced.compareTo(MAX_HOLD) > 0) {
      paced = MAX_HOLD;
    }
    return paced.compareTo(interval) < 0 ? interval : paced;
  }

  /**
   * When a plain poll that is still in flight is reported unanswered ({@link #OVERDUE}): only a
   * primary's (the unreachable record is the recorded primary's) that answered its last poll, and
   * only before the poll's own timeout, and never while pods' first contacts wait for a place
   * ({@link NewConnections#firstContactsWaiting}): the controller is behind on its own work then
   * (its handshakes take the core, by its own limit), and an answer later than {@link #OVERDUE}
   * says more about it than about the agent. A restart of 1000 clusters wrote the primaries'
   * unreachable records and their removal 1,394 times (docs/performance.md, "Density"). The poll
   * still fails at its timeout, which records the primary unreachable then; the promotion gate only
   * counts from a later record.
   *
   * @param firstContactsWaiting pods' first contacts wait for a place among the new connections
   */
  public static Optional<Duration> overdueAfter(
      InstanceStatus last,
      boolean failedSinceAnswer,
      Duration timeout,
      boolean firstContactsWaiting) {
    return last != null
            && last.role() == InstanceRole.PRIMARY
            && !failedSinceAnswer
            && !firstContactsWaiting
            && OVERDUE.compareTo(timeout) < 0
        ? Optional.of(OVERDUE)
        : Optional.empty();
  }

  /**
   * How long after a poll's outcome the next one is sent.
   *
   * @param elapsed how long the poll took
   * @param nextHeld the next poll is a long-poll (the agent holds it until a change or the end of
   *     the hold)
   */
  public static Duration delayAfter(
      boolean answered, boolean nextHeld, Duration elapsed, Duration interval) {
    Duration wait = answered && nextHeld ? MIN_GAP.minus(elapsed) : interval.minus(elapsed);
    return wait.isNegative() ? Duration.ZERO : wait;
  }
}
