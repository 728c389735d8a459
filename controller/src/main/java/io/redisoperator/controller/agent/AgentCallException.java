package io.redisoperator.controller.agent;

import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.AgentError;

/**
 * A failed agent call, classified for failure detection. {@code error} is the agent's answer, when
 * there was one.
 */
public final class AgentCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final PollFailure kind;
  private final int httpStatus;
  private final transient AgentError error;

  public AgentCallException(
      PollFailure kind, int httpStatus, AgentError error, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.error = error;
  }

  public PollFailure kind() {
    return kind;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public AgentError error() {
    return error;
  }

  /**
   * Finds the classification of any failure of an agent call (unknown failures count as timeouts:
   * no proof).
   */
  public static PollFailure classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AgentCallException a) {
        return a.kind;
      }
    }
    return PollFailure.TIMEOUT;
  }
}
