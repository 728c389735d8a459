package io.redisoperator.protocol.agent;

/**
 * The instance agent's HTTP contract: the API ({@code /v1}) on {@link #PORT} over mutual TLS (see
 * {@code protocol.tls.AgentTls}), probes and metrics in plain HTTP on {@link #PROBE_PORT}. Both
 * sides use these constants.
 */
public final class AgentApi {
  private AgentApi() {}

  /**
   * The agent API's HTTPS port on the pod IP: only the controller's client certificate is served.
   */
  public static final int PORT = 8000;

  /**
   * {@code /healthz}, {@code /readyz} and {@code /metrics}, plain HTTP, for the kubelet and
   * Prometheus.
   */
  public static final int PROBE_PORT = 8001;

  /**
   * The version of this contract, reported in {@code /v1/status}. Raised when a change needs the
   * other side to know it; fields are only ever added, and both sides ignore fields they do not
   * know ({@code Json.contract()}).
   */
  public static final int PROTOCOL_VERSION = 6;

  /** redis-server's port on the pod IP. */
  public static final int REDIS_PORT = 6379;

  /** redis-sentinel's port on a sentinel pod's IP (sentinel mode). */
  public static final int SENTINEL_PORT = 26379;

  public static final String PATH_STATUS = "/v1/status";

  /**
   * Long-poll of {@link #PATH_STATUS} (protocol version 3): {@code ?since=<version>&waitMs=<ms>}
   * holds the answer while the agent's status version equals {@code since}, at most {@code waitMs}
   * (capped at {@link #MAX_STATUS_WAIT_MILLIS}); a different version, or none given, answers at
   * once. Every answer carries the version in {@link #STATUS_VERSION_HEADER} ({@link
   * StatusVersions}). An agent before version 3 ignores both parameters and answers at once without
   * the header, which tells the controller to poll at its interval instead.
   */
  public static final String STATUS_SINCE_PARAM = "since";

  public static final String STATUS_WAIT_PARAM = "waitMs";

  /**
   * From this protocol version a replica's status version also moves when its link to its primary
   * turns stale or fresh again ({@link ReplicationLink}), so a held status request is answered the
   * moment the replica stops vouching for its primary. The controller holds a replica's status
   * requests only from agents of this version on: an earlier one would keep a report that still
   * vouches for a silent primary until the hold ends.
   */
  public static final int LINK_FRESHNESS_IN_VERSION = 6;

  public static final String STATUS_VERSION_HEADER = "X-Redis-Operator-Status-Version";

  /**
   * A conditional {@link #PATH_STATUS} (protocol version 5): with {@code If-None-Match:
   * "<version>"} an agent whose status version is still that one answers {@code 304 Not Modified}
   * without a body, carrying the version ({@link #STATUS_VERSION_HEADER}, {@code ETag}) and the
   * fields that move without changing it ({@link #STATUS_VOLATILES_HEADER}, {@link
   * StatusVolatiles}). Applies to plain polls and to the end of a long-poll's hold alike. An agent
   * before version 5 ignores the header and answers in full.
   */
  public static final String IF_NONE_MATCH_HEADER = "If-None-Match";

  public static final String ETAG_HEADER = "ETag";

  /** The moving fields of an unchanged status: {@link StatusVolatiles#header()}. */
  public static final String STATUS_VOLATILES_HEADER = "X-Redis-Operator-Status-Volatiles";

  /** The {@code If-None-Match} / {@code ETag} value of a status version (an HTTP entity tag). */
  public static String entityTag(String version) {
    return "\"" + version + "\"";
  }

  /**
   * Whether an {@code If-None-Match} value names {@code version} (a list of tags, or {@code *}, as
   * HTTP allows; weak tags compare by their value).
   */
  public static boolean matchesEntityTag(String ifNoneMatch, String version) {
    if (ifNoneMatch == null || version == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*")) {
        return true;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
        t = t.substring(1, t.length() - 1);
      }
      if (t.equals(version)) {
        return true;
      }
    }
    return false;
  }

  public static final long MAX_STATUS_WAIT_MILLIS = 15_000;
  public static final String PATH_PROMOTE = "/v1/promote";
  public static final String PATH_REPLICATE = "/v1/replicate";
  public static final String PATH_FENCE = "/v1/fence";
  public static final String PATH_SWITCHOVER = "/v1/switchover";
  public static final String PATH_BACKUP = "/v1/backup";

  /**
   * Upgrade from an operator before ACL users: creates the operator's users on a peer that lacks
   * them ({@link LegacyUsersRequest}). Answered by agents of protocol version 4 and later.
   */
  public static final String PATH_LEGACY_USERS = "/v1/legacy-users";

  public static final String PATH_HEALTHZ = "/healthz";
  public static final String PATH_READYZ = "/readyz";
  public static final String PATH_METRICS = "/metrics";

  public static final String PORT_NAME_AGENT = "agent";
  public static final String PORT_NAME_PROBES = "probes";
  public static final String PORT_NAME_REDIS = "redis";

  /** The Services' plaintext port in the TLS migration mode (spec.tls.plaintextPort). */
  public static final String PORT_NAME_REDIS_PLAINTEXT = "redis-plaintext";

  public static final String PORT_NAME_SENTINEL = "sentinel";

  /**
   * The lease epoch of the controller sending a request (the Lease's {@code leaseTransitions} when
   * it acquired it). An agent refuses operations carrying a lower epoch than the highest it has
   * seen: they come from a deposed controller. Absent from requests of controllers that do not
   * elect a leader.
   */
  public static final String LEADER_EPOCH_HEADER = "X-Redis-Operator-Epoch";
}
