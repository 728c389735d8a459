package io.redisoperator.protocol.validation;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for user-supplied redis.conf directives ({@code spec.redis}). The operator owns networking, identity,
 * replication, secrets and process settings; a user directive may not override them or smuggle in extra lines.
 */
public final class RedisDirectives {
  private RedisDirectives() {}

  public static final int MAX_VALUE_LENGTH = 4096;
  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,63}$");

  private static final Set<String> OWNED =
      Set.of(
          "bind",
          "bind-source-addr",
          "port",
          "dir",
          "dbfilename",
          "appenddirname",
          "requirepass",
          "masterauth",
          "masteruser",
          "replicaof",
          "slaveof",
          "replica-announce-ip",
          "replica-announce-port",
          "slave-announce-ip",
          "slave-announce-port",
          "aclfile",
          "user",
          "include",
          "loadmodule",
          "daemonize",
          "supervised",
          "pidfile",
          "logfile",
          "unixsocket",
          "unixsocketperm",
          "protected-mode",
          "rename-command",
          "min-replicas-to-write",
          "min-slaves-to-write",
          "min-replicas-max-lag",
          "min-slaves-max-lag",
          "cluster-enabled",
          "enable-debug-command",
          "enable-module-command",
          "enable-protected-configs");

  /** True when the operator sets this directive itself and users may not. */
  public static boolean isOwnedByOperator(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return OWNED.contains(n) || n.startsWith("tls-") || n.startsWith("sentinel");
  }

  /** Why this directive may not be used, or empty when it is acceptable. */
  public static Optional<String> problem(String name, String value) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.of("'" + name + "' is not a redis.conf directive name (lowercase letters, digits and '-')");
    }
    if (isOwnedByOperator(name)) {
      return Optional.of("directive '" + name + "' is managed by the operator and cannot be set");
    }
    if (value == null || value.isBlank()) {
      return Optional.of("directive '" + name + "' needs a value");
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      return Optional.of("value of '" + name + "' is longer than " + MAX_VALUE_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        return Optional.of("value of '" + name + "' contains a control character (newline, tab, NUL, ...)");
      }
    }
    if (value.contains("\"") || value.contains("'") || value.contains("\\")) {
      return Optional.of("value of '" + name + "' may not contain quotes or backslashes");
    }
    return Optional.empty();
  }
}
