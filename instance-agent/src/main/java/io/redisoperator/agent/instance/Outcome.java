package io.redisoperator.agent.instance;

import io.redisoperator.protocol.agent.AgentError;
import java.util.concurrent.TimeoutException;

/**
 * The answer to an operation, as the HTTP layer will send it: a status code and a protocol body.
 */
public record Outcome(int httpStatus, Object body) {
  public static Outcome ok(Object body) {
    return new Outcome(200, body);
  }

  public static Outcome conflict(String message) {
    return new Outcome(409, new AgentError(AgentError.CONFLICT, message));
  }

  public static Outcome unavailable(String message) {
    return new Outcome(503, new AgentError(AgentError.UNAVAILABLE, message));
  }

  public static Outcome timeout(String message) {
    return new Outcome(504, new AgentError(AgentError.TIMEOUT, message));
  }

  /** 408: the caller's deadline passed before the operation started; nothing was done. */
  public static Outcome expired(String message) {
    return new Outcome(408, new AgentError(AgentError.TIMEOUT, message));
  }

  public static Outcome internal(String message) {
    return new Outcome(500, new AgentError(AgentError.INTERNAL, message));
  }

  /**
   * The answer to an operation that failed: 504 when it ran out of time (the operation's own
   * deadline, or a timeout inside it), 503 otherwise, with the root cause's message.
   */
  public static Outcome failed(Throwable error) {
    String message = InstanceOperations.rootMessage(error);
    return error instanceof TimeoutException || error.getCause() instanceof TimeoutException
        ? timeout("operation did not finish in time: " + message)
        : unavailable(message);
  }

  public boolean succeeded() {
    return httpStatus / 100 == 2;
  }
}
