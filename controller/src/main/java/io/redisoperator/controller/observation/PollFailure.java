package io.redisoperator.controller.observation;

/** Why the last status poll of an agent failed. */
public enum PollFailure {
  NONE,
  /**
   * TCP connection refused: nothing listens, the agent process is gone (fast, certain evidence).
   */
  CONNECTION_REFUSED,
  /** No answer in time: the agent may be alive behind a partition. */
  TIMEOUT,
  /** The agent answered with an error status. */
  HTTP_ERROR,
  /** The pod has no IP to poll. */
  NO_ADDRESS
}
