package io.redisoperator.agent.config;

import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure: renders redis.conf from the pod identity, the cluster settings and the replication
 * password.
 */
public final class RedisConfRenderer {
  /**
   * A min-replicas-to-write no cluster can satisfy: a primary configured so refuses every write
   * with NOREPLICAS at once, instead of blocking clients the way CLIENT PAUSE does, and the setting
   * survives restarts via the conf.
   */
  public static final int FENCED_MIN_REPLICAS_TO_WRITE = 1_000_000;

  public static final int DEFAULT_MAX_LAG_SECONDS = 10;

  private RedisConfRenderer() {}

  /**
   * The conf text; throws {@link IllegalArgumentException} for settings or a password that would be
   * unsafe.
   */
  public static String render(ConfInputs in) {
    List<String> problems = SettingsCheck.problems(in.settings());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("settings rejected: " + String.join("; ", problems));
    }
    StringBuilder conf = new StringBuilder();
    conf.append(
        "# Rendered by the redis-operator instance agent. Do not edit: it is rewritten on every change.\n");
    conf.append("bind ").append(String.join(" ", bindAddresses(in.podIp()))).append('\n');
    if (in.settings() != null && in.settings().tlsEnabled()) {
      tls(conf, in);
    } else {
      line(conf, "port", Integer.toString(in.port()));
    }
    line(conf, "bind-source-addr", in.podIp());
    line(conf, "replica-announce-ip", in.podIp());
    line(conf, "replica-announce-port", Integer.toString(in.port()));
    line(conf, "daemonize", "no");
    line(conf, "logfile", "\"\"");
    line(conf, "dir", quote(in.dataDir().toAbsolutePath().toString()));
    line(conf, "dbfilename", "dump.rdb");
    line(conf, "appendonly", "yes");
    line(conf, "aof-use-rdb-preamble", "yes");
    line(conf, "repl-diskless-sync", "yes");
    line(conf, "repl-diskless-sync-delay", "0");
    line(conf, "replica-read-only", "yes");
    // Replicas' ACK age is the primary's evidence that it is not isolated; an idle link must still
    // look fresh.
    line(conf, "repl-ping-replica-period", "1");
    // Users (default's password included) come from the ACL file the agent keeps on the data
    // volume; a replica
    // authenticates to its primary as the replication user, which can do nothing but replicate.
    line(
        conf,
        "aclfile",
        quote(in.dataDir().resolve(InstanceLayout.ACL_FILE).toAbsolutePath().toString()));
    line(conf, "masteruser", OperatorUsers.REPLICATION);
    line(conf, "masterauth", quote(checkedPassword(in.password())));
    line(
        conf,
        "min-replicas-to-write",
        Integer.toString(minReplicasToWrite(in.settings(), in.writable())));
    line(conf, "min-replicas-max-lag", Integer.toString(minReplicasMaxLag(in.settings())));
    if (in.replicaOf() != null) {
      line(conf, "replicaof", in.replicaOf().host() + " " + in.replicaOf().port());
    }
    Map<String, String> directives = userDirectives(in.settings());
    if (!directives.isEmpty()) {
      conf.append("# spec.redis\n");
      directives.forEach((name, value) -> line(conf, name, value));
    }
    return conf.toString();
  }

  /**
   * TLS on the usual port and no plaintext port (but in the migration mode, {@link
   * InstanceSettings#plaintextPortWithTls()}): clients, replicas (both ways: a replica presents its
   * certificate to its primary) and the agent all use TLS. Clients need no certificate of their
   * own; their password authenticates them. Redis reloads these files on CONFIG SET of the same
   * paths, which is how rotations apply live.
   */
  private static void tls(StringBuilder conf, ConfInputs in) {
    if (in.redisTlsDir() == null) {
      throw new IllegalArgumentException("TLS is on but no TLS directory was given");
    }
    line(conf, "port", Integer.toString(plaintextPort(in.settings())));
    line(conf, "tls-port", Integer.toString(in.port()));
    RedisTlsFiles.paths(in.redisTlsDir()).forEach((name, path) -> line(conf, name, quote(path)));
    line(conf, "tls-replication", "yes");
    line(conf, "tls-auth-clients", "no");
  }

  /** Redis' {@code port} with TLS on: the migration mode's plaintext port, else 0 (none). */
  public static int plaintextPort(InstanceSettings settings) {
    Integer port = settings == null ? null : settings.plaintextPortWithTls();
    return port == null ? 0 : port;
  }

  /**
   * The primary a previously rendered conf followed, if any: when the API server cannot be reached
   * at boot, a replica keeps following it instead of waiting with no data flowing.
   */
  public static java.util.Optional<Endpoint> replicaOfIn(String conf) {
    for (String line : conf.split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 3 && parts[0].equals("replicaof")) {
        try {
          return java.util.Optional.of(new Endpoint(parts[1], Integer.parseInt(parts[2])));
        } catch (IllegalArgumentException e) {
          return java.util.Optional.empty();
        }
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Whether a rendered conf starts Redis accepting writes: false when its min-replicas-to-write is
   * the fence value, null when it sets none.
   */
  public static Boolean writableIn(String conf) {
    for (String line : conf.split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2 && parts[0].equals("min-replicas-to-write")) {
        try {
          return Integer.parseInt(parts[1]) < FENCED_MIN_REPLICAS_TO_WRITE;
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * Redis binds the pod IP; loopback too in a real pod, but never when the pod IP is itself
   * loopback (shared).
   */
  public static List<String> bindAddresses(String podIp) {
    List<String> addresses = new ArrayList<>();
    addresses.add(podIp);
    if (!podIp.startsWith("127.")) {
      addresses.add("127.0.0.1");
    }
    return addresses;
  }

  /**
   * min-replicas-to-write for this state: impossible when not writable, else the durability setting
   * (0 = off).
   */
  public static int minReplicasToWrite(InstanceSettings settings, boolean writable) {
    if (!writable) {
      return FENCED_MIN_REPLICAS_TO_WRITE;
    }
    return settings == null || settings.minReplicasToWrite() == null
        ? 0
        : settings.minReplicasToWrite();
  }

  public static int minReplicasMaxLag(InstanceSettings settings) {
    return settings == null || settings.minReplicasMaxLagSeconds() == null
        ? DEFAULT_MAX_LAG_SECONDS
        : settings.minReplicasMaxLagSeconds();
  }

  /** User directives, sorted so the conf (and its hash) does not depend on map order. */
  public static Map<String, String> userDirectives(InstanceSettings settings) {
    return settings == null || settings.redisDirectives() == null
        ? Map.of()
        : new TreeMap<>(settings.redisDirectives());
  }

  private static String checkedPassword(String password) {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException(
          "the replication password is empty: Redis never starts without one");
    }
    for (int i = 0; i < password.length(); i++) {
      if (Character.isISOControl(password.charAt(i))) {
        throw new IllegalArgumentException("the replication password contains a control character");
      }
    }
    return password;
  }

  /** Double-quoted redis.conf string: Redis' parser unescapes \\ and \" inside quotes. */
  static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void line(StringBuilder conf, String name, String value) {
    conf.append(name).append(' ').append(value).append('\n');
  }
}
