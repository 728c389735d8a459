package io.redisoperator.controller.pod;

import io.redisoperator.controller.pod.PodCommand.Target;
import java.util.Objects;

/**
 * The watch a pod actor keeps held by the agent beside its plain polls ({@link
 * PollSchedule#watchBeside}): whether one is due, and what its answer asks of the actor. The watch
 * never reports: a changed version, or a watch that failed, only makes the actor poll at once, so
 * every report (and so every piece of evidence) comes from the plain polls, in their order, dated
 * as before. Confined to the actor.
 */
final class StatusWatch {

  /** What a watch's answer asks of the actor. */
  enum Next {
    /** The answer is from a previous address: nothing. */
    NOTHING,
    /** The status changed: poll at once (its answer sends the next watch). */
    POLL_NOW,
    /** The watch failed: poll at once, and watch again only after an interval. */
    POLL_NOW_AND_WATCH_LATER,
    /** Unchanged (the agent's hold ran out): watch again after {@link PollSchedule#MIN_GAP}. */
    WATCH_AGAIN
  }

  /** A watch is held by the agent beside the plain polls. */
  private boolean held;

  /**
   * This incarnation has sent a watch: the pool holds a connection for it beside the plain polls'.
   * The first one is sent while a plain poll holds its connection, so the pool opens the second
   * connection (a TLS handshake) for the watch; sent right after an answer, it took the idle
   * connection and the next plain poll paid the handshake, which on a controller busy contacting
   * every pod after a restart overran the poll's overdue time (a status write and its removal).
   */
  private boolean sent;

  /**
   * The last watch failed: the next waits one interval (an agent that refuses watches but answers
   * polls must not get a poll after every refused watch).
   */
  private boolean paused;

  /** A new address: its first watch goes beside a plain poll again (see {@link #sent}). */
  void newAddress() {
    sent = false;
  }

  /** Whether a watch is held: the plain polls then go on a connection of their own. */
  boolean held() {
    return held;
  }

  /**
   * Whether the plain poll being sent takes this incarnation's first watch beside it. While other
   * pods' first contacts wait, its connection's handshake would be one more in their way: it goes
   * beside the first poll after them.
   */
  boolean firstBesidePoll(boolean firstContactsWaiting) {
    return !sent && !firstContactsWaiting;
  }

  /** Whether each poll's answer checks for a watch due (the first went beside a poll). */
  boolean sentOnce() {
    return sent;
  }

  /**
   * Whether a watch is due: none is held or paused, the pod is not gone, it has an address and its
   * record asks for one.
   */
  boolean due(Target target, PollRecord record, boolean gone) {
    return !held && !paused && !gone && sendable(target, record);
  }

  /**
   * The watch's time came (at once, or its timer): whether it goes now. It does unless one is held
   * or the record no longer asks for one; a pause ends either way.
   */
  boolean start(Target target, PollRecord record) {
    paused = false;
    if (held || !sendable(target, record)) {
      return false;
    }
    held = true;
    sent = true;
    return true;
  }

  /**
   * A watch ended.
   *
   * @param podIP the address it went to
   * @param failed whether it failed
   * @param answeredVersion the status version it answered with (when it did not fail)
   * @param knownVersion the version of the plain polls' last answer
   */
  Next ended(
      Target target, String podIP, boolean failed, String answeredVersion, String knownVersion) {
    held = false;
    if (target == null || !Objects.equals(podIP, target.podIP())) {
      return Next.NOTHING;
    }
    if (failed) {
      paused = true;
      return Next.POLL_NOW_AND_WATCH_LATER;
    }
    return Objects.equals(answeredVersion, knownVersion) ? Next.WATCH_AGAIN : Next.POLL_NOW;
  }

  private static boolean sendable(Target target, PollRecord record) {
    return target != null && target.podIP() != null && record.watchBeside(target.interval());
  }
}
