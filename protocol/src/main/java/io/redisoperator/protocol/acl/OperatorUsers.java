package io.redisoperator.protocol.acl;

import java.util.List;

/**
 * The Redis users the operator keeps for itself, each with only what it needs, and the restricted
 * {@code default} user. Their passwords are the keys of the {@code <cluster>-operator-auth} Secret
 * of the same short name.
 */
public final class OperatorUsers {
  private OperatorUsers() {}

  /** Names starting so are the operator's: a declared user may not take one. */
  public static final String RESERVED_PREFIX = "redis-operator-";

  /**
   * The instance agent: status, replication topology, fencing, switchover, backups, and the ACL
   * itself. No keys.
   */
  public static final String AGENT = RESERVED_PREFIX + "agent";

  /** A replica authenticating to its primary ({@code masteruser}). */
  public static final String REPLICATION = RESERVED_PREFIX + "replication";

  /** Sentinel watching the data pods. Discovery only: the operator, not Sentinel, fails over. */
  public static final String SENTINEL = RESERVED_PREFIX + "sentinel";

  /** Scratch user an agent checks a rule set on before applying anything; never kept. */
  public static final String CHECK = RESERVED_PREFIX + "check";

  public static final String DEFAULT = "default";

  /** Keys of the {@code <cluster>-operator-auth} Secret. */
  public static final String KEY_AGENT = "agent";

  public static final String KEY_REPLICATION = "replication";
  public static final String KEY_SENTINEL = "sentinel";

  /**
   * The agent's replica heartbeat publishes here (nothing subscribes; the publish only moves the
   * offset).
   */
  public static final String HEARTBEAT_CHANNEL = "__redis-operator__:replica-heartbeat";

  public static final List<String> AGENT_RULES =
      List.of(
          "resetkeys",
          "resetchannels",
          "&" + HEARTBEAT_CHANNEL,
          "-@all",
          "+ping",
          "+info",
          "+role",
          "+hello",
          "+auth",
          "+client",
          "+config|get",
          "+config|set",
          "+replicaof",
          "+failover",
          "+bgsave",
          "+acl|setuser",
          "+acl|deluser",
          "+acl|users",
          "+acl|whoami",
          "+publish",
          "+wait");
  public static final List<String> REPLICATION_RULES =
      List.of("resetkeys", "resetchannels", "-@all", "+psync", "+replconf", "+ping");
  public static final List<String> SENTINEL_RULES =
      List.of(
          "resetkeys",
          "resetchannels",
          "&__sentinel__:hello",
          "-@all",
          "+auth",
          "+hello",
          "+ping",
          "+info",
          "+role",
          "+client|setname",
          "+client|getname",
          "+client|id",
          "+subscribe",
          "+publish",
          "+command");

  /**
   * {@code default}, the user of the cluster's auth password, unless spec.users declares it: every
   * data command on every key and channel, no administration (CONFIG, REPLICAOF, ACL, SHUTDOWN,
   * DEBUG, MONITOR, FAILOVER, ...).
   */
  public static final List<String> DEFAULT_RULES = List.of("~*", "&*", "+@all", "-@admin");

  /** The operator's three users, each accepting the passwords of the given hashes. */
  public static List<AclUser> users(
      List<String> agentHashes, List<String> replicationHashes, List<String> sentinelHashes) {
    return List.of(
        new AclUser(AGENT, AGENT_RULES, agentHashes),
        new AclUser(REPLICATION, REPLICATION_RULES, replicationHashes),
        new AclUser(SENTINEL, SENTINEL_RULES, sentinelHashes));
  }

  public static boolean reserved(String name) {
    return name.startsWith(RESERVED_PREFIX);
  }
}
