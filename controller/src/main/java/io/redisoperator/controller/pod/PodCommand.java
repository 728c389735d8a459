package io.redisoperator.controller.pod;

import io.redisoperator.controller.agent.AgentCredentials;
import java.time.Duration;

/**
 * What the cluster actor tells a {@link PodActor}: where and how to poll, and when to poll at once.
 * The actor's messages to itself are {@link InternalCommand}.
 */
public sealed interface PodCommand
    permits PodCommand.Target, PodCommand.PollNow, PodCommand.PodGone, InternalCommand {

  /**
   * Where and how to poll; sent on start and whenever the pod's IP, the credentials or the interval
   * change.
   */
  record Target(
      String podIP,
      AgentCredentials credentials,
      Duration interval,
      Duration timeout,
      boolean recordedPrimary)
      implements PodCommand {
    /** A pod other than the cluster's recorded primary. */
    public Target(String podIP, AgentCredentials credentials, Duration interval, Duration timeout) {
      this(podIP, credentials, interval, timeout, false);
    }
  }

  /**
   * Poll now rather than at the next interval: the cluster actor knows the instance just changed (a
   * handoff).
   */
  enum PollNow implements PodCommand {
    INSTANCE
  }

  /**
   * The pod object is gone or going (deleted, Failed): poll its last address now, and again every
   * {@link PollsInFlight#GONE_REPOLL} until a poll is refused, so that the refusal that proves its
   * processes gone is seen at once. An answer (the processes are being killed) and a failure that
   * proves nothing (a connection reset by the dying agent, a timeout) both leave it polled quickly.
   */
  enum PodGone implements PodCommand {
    INSTANCE
  }
}
