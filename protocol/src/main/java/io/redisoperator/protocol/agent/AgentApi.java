package io.redisoperator.protocol.agent;

/** The instance agent's HTTP contract: one port, versioned paths. Both sides use these constants. */
public final class AgentApi {
  private AgentApi() {}

  /** The agent's HTTP port on the pod IP. */
  public static final int PORT = 8000;

  /**
   * The version of this contract, reported in {@code /v1/status}. Raised when a change needs the other side to know
   * it; fields are only ever added, and both sides ignore fields they do not know ({@code Json.contract()}).
   */
  public static final int PROTOCOL_VERSION = 2;
  /** redis-server's port on the pod IP. */
  public static final int REDIS_PORT = 6379;
  /** redis-sentinel's port on a sentinel pod's IP (sentinel mode). */
  public static final int SENTINEL_PORT = 26379;

  public static final String PATH_STATUS = "/v1/status";
  public static final String PATH_PROMOTE = "/v1/promote";
  public static final String PATH_REPLICATE = "/v1/replicate";
  public static final String PATH_FENCE = "/v1/fence";
  public static final String PATH_SWITCHOVER = "/v1/switchover";
  public static final String PATH_BACKUP = "/v1/backup";
  public static final String PATH_HEALTHZ = "/healthz";
  public static final String PATH_READYZ = "/readyz";
  public static final String PATH_METRICS = "/metrics";

  public static final String PORT_NAME_AGENT = "agent";
  public static final String PORT_NAME_REDIS = "redis";
  public static final String PORT_NAME_SENTINEL = "sentinel";

  /** Every /v1 request carries {@code Authorization: Bearer <token>}, the token being the agent token Secret's. */
  public static final String AUTHORIZATION_HEADER = "Authorization";
  public static final String BEARER_PREFIX = "Bearer ";
}
