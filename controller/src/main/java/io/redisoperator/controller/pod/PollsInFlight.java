package io.redisoperator.controller.pod;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.InternalCommand.Overdue;
import io.redisoperator.controller.pod.PodCommand.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pod actor's polls out: the plain poll (one at a time, which the agent may hold as a long-poll),
 * at most one urgent poll beside a held one, and what the next plain poll must be (a fresh answer,
 * or the quick polls of a gone pod). Decides what a poll-now request does, whether the next poll
 * opens a connection, what it asks for and when it goes; the actor sends it. Confined to the actor
 * (but for the completion flag, set by the call).
 */
final class PollsInFlight {

  /** How soon a gone pod's last address is polled again, until a poll is refused. */
  static final Duration GONE_REPOLL = Duration.ofMillis(100);

  /** What a request to poll at once does. */
  enum PollNow {
    /** No plain poll is out: one goes now. */
    POLL,
    /** The plain poll out is held by the agent: an urgent poll goes beside it. */
    URGENT_BESIDE,
    /** The answer of the poll out may predate the change: the next goes right after it. */
    AFTER_THE_ONE_OUT
  }

  private boolean plainOut;

  /** The plain poll out is a long-poll the agent may hold. */
  private boolean plainHeld;

  private boolean urgentOut;

  /** When the plain poll out was sent. */
  private Instant plainRequestedAt;

  /** Whether the plain poll out has completed (set by the call, before the actor sees it). */
  private AtomicBoolean plainCompleted = new AtomicBoolean();

  /**
   * A poll-now request arrived while a plain poll was out: that answer may predate the change, poll
   * again.
   */
  private boolean again;

  /** The pod object is gone or going and its last address has not refused a poll since. */
  private boolean gone;

  /** A new address: whatever was gone was the previous one. */
  void newAddress() {
    gone = false;
  }

  /** The pod object is gone or going: its last address is polled quickly until it refuses. */
  void podGone() {
    gone = true;
  }

  boolean gone() {
    return gone;
  }

  boolean plainOut() {
    return plainOut;
  }

  /** Whether the plain poll out is a long-poll the agent may hold. */
  boolean plainHeld() {
    return plainHeld;
  }

  /**
   * A poll was asked for at once.
   *
   * @param addressKnown the pod has an address to send an urgent poll to
   */
  PollNow pollNow(boolean addressKnown) {
    if (!plainOut) {
      return PollNow.POLL;
    }
    if (plainHeld && !urgentOut && addressKnown) {
      urgentOut = true;
      return PollNow.URGENT_BESIDE;
    }
    again = true;
    return PollNow.AFTER_THE_ONE_OUT;
  }

  /**
   * Whether the next plain poll opens a connection that waits for a place: the first at this
   * address, or one after a failed poll (reset with its connection), unless the pod is (or answered
   * as) the primary, whose polls are the failover's evidence, or is gone (polled until refused), or
   * a fresh answer was asked for while a poll was out.
   */
  boolean opensConnection(PollRecord record, boolean recordedPrimary) {
    if (gone || again) {
      return false;
    }
    if (!record.answeredOnce()) {
      return true;
    }
    return record.failedSinceAnswer() && !recordedPrimary && !record.answeredAsPrimary();
  }

  /**
   * The plain poll goes: what it asks for. Gone, or asked for a fresh answer while the last poll
   * was out: answered at once, never held.
   */
  PollSchedule.Request sendPlain(PollRecord record, Duration interval) {
    plainOut = true;
    PollSchedule.Request request =
        gone || again ? PollSchedule.Request.AT_ONCE : record.nextRequest(interval);
    again = false;
    plainHeld = request.since() != null;
    return request;
  }

  /**
   * Whether a poll gets the longer timeout of a first contact ({@link PollSchedule#timeout}): the
   * first of a pod other than the recorded primary, unless it is gone.
   */
  boolean firstContactTimeout(PollRecord record, boolean recordedPrimary) {
    return !record.answeredOnce() && !recordedPrimary && !gone;
  }

  /** Tracks the plain poll's call sent at {@code requestedAt}: when it completes. */
  <T> CompletionStage<T> trackPlain(CompletionStage<T> call, Instant requestedAt) {
    AtomicBoolean completed = new AtomicBoolean();
    plainCompleted = completed;
    plainRequestedAt = requestedAt;
    return call.whenComplete((answer, failure) -> completed.set(true));
  }

  /** Whether {@code overdue} is about the plain poll out at the target's address. */
  boolean concerns(Overdue overdue, Target target) {
    return plainOut
        && target != null
        && Objects.equals(overdue.podIP(), target.podIP())
        && overdue.requestedAt().equals(plainRequestedAt);
  }

  /** Whether the plain poll out has completed, its outcome not yet seen by the actor. */
  boolean plainCompleted() {
    return plainCompleted.get();
  }

  /** A poll's outcome reached the actor. */
  void ended(boolean urgent) {
    if (urgent) {
      urgentOut = false;
    } else {
      plainOut = false;
      plainHeld = false;
    }
  }

  /** A poll at the current address answered or failed so: a refusal proves a gone pod gone. */
  void outcome(PollFailure failure) {
    gone &= failure != PollFailure.CONNECTION_REFUSED;
  }

  /**
   * When the next plain poll goes after one that took {@code elapsed}. Held by the agent, it may go
   * at once; otherwise one period after this one started ({@link PollRecord#plainInterval}: half
   * the interval for an answering primary, slower while other pods' first contacts wait), a gone
   * pod's every {@link #GONE_REPOLL}, and at once when a fresh answer was asked for meanwhile.
   *
   * @param answered the poll was answered (the record has taken its outcome)
   */
  Duration nextDelay(
      PollRecord record,
      boolean answered,
      Duration elapsed,
      Duration interval,
      boolean firstContactsWaiting) {
    boolean nextHeld = answered && record.nextRequest(interval).since() != null;
    Duration wait =
        gone && GONE_REPOLL.compareTo(interval) < 0
            ? GONE_REPOLL.minus(elapsed)
            : PollSchedule.delayAfter(
                answered, nextHeld, elapsed, record.plainInterval(interval, firstContactsWaiting));
    return again || wait.isNegative() ? Duration.ZERO : wait;
  }

  /**
   * What the overdue plain poll does now ({@link PollSchedule#overdueStep}): skipped once its call
   * has completed (the answer only waits for the actor).
   *
   * @param loopsLate how late the event loops that would read its answer run
   * @param answersSlow the controller's answered polls are slow lately ({@link AnswerPace})
   */
  PollSchedule.OverdueStep overdueStep(
      Overdue overdue, Instant now, Duration loopsLate, Duration timeout, boolean answersSlow) {
    if (plainCompleted.get()) {
      return new PollSchedule.OverdueStep.Skip();
    }
    // The actor handled the timer late, or the event loops run late: the answer may be waiting
    // behind the same busy core.
    Duration handledLate = Duration.between(overdue.due(), now);
    return PollSchedule.overdueStep(
        handledLate.compareTo(loopsLate) >= 0 ? handledLate : loopsLate,
        Duration.between(overdue.requestedAt(), now),
        timeout,
        answersSlow);
  }
}
