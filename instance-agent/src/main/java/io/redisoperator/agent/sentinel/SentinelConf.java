package io.redisoperator.agent.sentinel;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.protocol.acl.OperatorUsers;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders sentinel.conf and the per-master options the agent re-applies after every re-point. The
 * operator is the only failover authority; Sentinel is kept for discovery only, so the options make
 * a Sentinel-initiated failover or reconfiguration impossible rather than merely unlikely:
 *
 * <ul>
 *   <li>{@code down-after-milliseconds} at its maximum ({@value #NEVER_MILLIS} ms, ~24.8 days;
 *       Sentinel parses it as an int): the primary is never judged subjectively down, so it never
 *       becomes objectively down, so no failover starts and Sentinel keeps reporting the primary
 *       the operator chose even while it is dead;
 *   <li>{@code failover-timeout} at the same maximum: Sentinel waits that long before "fixing" a
 *       replica that follows another primary, i.e. never (the operator moves replicas itself);
 *   <li>{@code SLAVEOF} and {@code REPLICAOF} renamed to a command Redis does not have: the only
 *       way Sentinel changes an instance's role is a MULTI/SLAVEOF/CONFIG REWRITE/EXEC transaction,
 *       which Redis then aborts. This covers the one reconfiguration not bounded by the two
 *       timeouts (a replica seen claiming to be a primary is turned back after 8 s), e.g. during
 *       the moment between the operator's promotion and the re-point.
 * </ul>
 *
 * Sentinel itself answers discovery (who is the primary, the {@code +switch-master} channel) to
 * anyone, and everything else ({@code SENTINEL SET/FAILOVER/REMOVE/MONITOR}, {@code ACL}, {@code
 * CONFIG}, ...) only to {@link #ADMIN_USER}, whose password only the sentinel pods hold: no data
 * pod or client can reconfigure the sentinels.
 *
 * <p>The passwords only ever live in this 0600 file and in {@code SENTINEL SET ... auth-pass}
 * (never argv, env or logs); the admin user's password is written as its SHA-256.
 */
public final class SentinelConf {
  /**
   * Sentinels that must agree a primary is down; irrelevant for failover (it never happens) but
   * part of MONITOR.
   */
  public static final int QUORUM = 2;

  /** The largest value Sentinel accepts for its millisecond options. */
  public static final long NEVER_MILLIS = Integer.MAX_VALUE;

  /**
   * What SLAVEOF/REPLICAOF are renamed to in Sentinel's view of the instances: a command no Redis
   * has.
   */
  public static final String DISABLED_COMMAND = "REDIS-OPERATOR-OWNS-REPLICATION";

  /** The Sentinel user the agent configures Sentinel as, and the sentinels use with one another. */
  public static final String ADMIN_USER = "operator";

  /**
   * What an unauthenticated client may do: discover the primary and follow changes, nothing that
   * writes.
   */
  static final String DISCOVERY_RULES =
      "resetchannels &* -@all +ping +hello +auth +role +info +client|setname +client|getname +subscribe +psubscribe"
          + " +unsubscribe +punsubscribe +sentinel|get-master-addr-by-name +sentinel|master +sentinel|masters"
          + " +sentinel|replicas +sentinel|slaves +sentinel|sentinels +sentinel|myid";

  /**
   * @param bindAddresses where Sentinel listens (the pod IP, plus 127.0.0.1 unless the pod IP is
   *     itself loopback)
   * @param masterName the cluster name, the name Sentinel-aware clients ask for
   * @param tlsDir Redis' projected TLS files (spec.tls): Sentinel then serves TLS only on its port
   *     and speaks TLS to the data pods and the other sentinels; null: plaintext
   */
  public record Inputs(
      List<String> bindAddresses,
      String podIp,
      int port,
      String dir,
      String masterName,
      Endpoint primary,
      String password,
      String adminPassword,
      java.nio.file.Path tlsDir) {
    /** Plaintext Sentinel. */
    public Inputs(
        List<String> bindAddresses,
        String podIp,
        int port,
        String dir,
        String masterName,
        Endpoint primary,
        String password,
        String adminPassword) {
      this(bindAddresses, podIp, port, dir, masterName, primary, password, adminPassword, null);
    }

    public Inputs {
      bindAddresses = List.copyOf(bindAddresses);
      if (!masterName.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        throw new IllegalArgumentException(
            "master name must be a Kubernetes object name, got '" + masterName + "'");
      }
      if (password != null && (password.contains("\n") || password.contains("\r"))) {
        throw new IllegalArgumentException("the auth password must be a single line");
      }
      if (adminPassword != null
          && (adminPassword.isEmpty()
              || adminPassword.contains("\n")
              || adminPassword.contains("\r"))) {
        throw new IllegalArgumentException(
            "the Sentinel admin password must be a non-empty single line");
      }
    }

    @Override
    public String toString() {
      return "Inputs[masterName=" + masterName + ", primary=" + primary + ", podIp=" + podIp + "]";
    }
  }

  private SentinelConf() {}

  /**
   * The listening addresses for a pod IP: loopback pod IPs are shared by sandbox pods, so only the
   * pod IP then.
   */
  public static List<String> bindAddresses(String podIp) {
    return podIp.startsWith("127.") ? List.of(podIp) : List.of(podIp, "127.0.0.1");
  }

  public static String render(Inputs in) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "# Written by the redis-operator sentinel agent at every start; Sentinel rewrites it while running.");
    lines.add("bind " + String.join(" ", in.bindAddresses()));
    if (in.tlsDir() == null) {
      lines.add("port " + in.port());
    } else {
      // Sentinel's own connections (to the data pods, whose Redis serves TLS only, and to the other
      // sentinels) follow tls-replication; clients authenticate by password, not certificate.
      lines.add("port 0");
      lines.add("tls-port " + in.port());
      io.redisoperator.agent.config.RedisTlsFiles.paths(in.tlsDir())
          .forEach((name, path) -> lines.add(name + " " + quote(path)));
      lines.add("tls-replication yes");
      lines.add("tls-auth-clients no");
    }
    // Explicit bind addresses already restrict who can connect; clients reach Sentinel through the
    // Service.
    lines.add("protected-mode no");
    lines.add("daemonize no");
    lines.add("dir " + quote(in.dir()));
    // Connections to the instances originate from the pod IP (a loopback pod IP must not look like
    // 127.0.0.1).
    lines.add("bind-source-addr " + in.podIp());
    lines.add("sentinel resolve-hostnames no");
    lines.add("sentinel announce-hostnames no");
    lines.add("sentinel announce-ip " + in.podIp());
    lines.add("sentinel announce-port " + in.port());
    lines.add("user default on nopass " + DISCOVERY_RULES);
    if (in.adminPassword() != null) {
      lines.add("user " + ADMIN_USER + " on #" + sha256(in.adminPassword()) + " ~* &* +@all");
      lines.add("sentinel sentinel-user " + ADMIN_USER);
      lines.add("sentinel sentinel-pass " + quote(in.adminPassword()));
    }
    lines.add(
        "sentinel monitor "
            + in.masterName()
            + " "
            + in.primary().host()
            + " "
            + in.primary().port()
            + " "
            + QUORUM);
    for (Option option : masterOptions(in.password())) {
      List<String> quoted =
          option.args().stream().map(a -> a.matches("[A-Za-z0-9-]+") ? a : quote(a)).toList();
      lines.add(
          "sentinel " + option.name() + " " + in.masterName() + " " + String.join(" ", quoted));
    }
    return String.join("\n", lines) + "\n";
  }

  /**
   * One per-master option: {@code sentinel <name> <master> <args...>} in the conf, {@code SENTINEL
   * SET} at runtime.
   */
  public record Option(String name, List<String> args) {
    public Option {
      args = List.copyOf(args);
    }

    @Override
    public String toString() {
      return "auth-pass".equals(name)
          ? "auth-pass <redacted>"
          : name + " " + String.join(" ", args);
    }
  }

  /**
   * The per-master options, applied again with {@code SENTINEL SET} after a re-point (REMOVE
   * forgets them). Values are raw; {@link #render} quotes them.
   */
  public static List<Option> masterOptions(String password) {
    List<Option> options = new ArrayList<>();
    if (password != null && !password.isEmpty()) {
      // The data pods' Sentinel user: discovery and hello messages only, it cannot reconfigure
      // Redis.
      options.add(new Option("auth-user", List.of(OperatorUsers.SENTINEL)));
      options.add(authPass(password));
    }
    options.addAll(safetyOptions());
    return options;
  }

  public static Option authPass(String password) {
    return new Option("auth-pass", List.of(password));
  }

  /** The options that keep Sentinel from ever acting on its own (see the class comment). */
  public static List<Option> safetyOptions() {
    return List.of(
        new Option("down-after-milliseconds", List.of(Long.toString(NEVER_MILLIS))),
        new Option("failover-timeout", List.of(Long.toString(NEVER_MILLIS))),
        new Option("rename-command", List.of("SLAVEOF", DISABLED_COMMAND)),
        new Option("rename-command", List.of("REPLICAOF", DISABLED_COMMAND)));
  }

  static String sha256(String password) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sentinel's config parser takes double-quoted strings with C escapes. */
  static String quote(String value) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }
}
