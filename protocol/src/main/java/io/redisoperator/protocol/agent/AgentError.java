package io.redisoperator.protocol.agent;

/** The JSON body of every non-2xx agent answer. {@code code} is stable and machine-readable. */
public record AgentError(String code, String message) {
  public static final String UNAUTHORIZED = "unauthorized";
  public static final String BAD_REQUEST = "bad_request";
  public static final String NOT_FOUND = "not_found";
  public static final String CONFLICT = "conflict";
  public static final String UNAVAILABLE = "redis_unavailable";
  public static final String TIMEOUT = "timeout";
  public static final String INTERNAL = "internal";
}
