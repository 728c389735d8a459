package io.redisoperator.protocol.validation;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What values one user-settable redis.conf directive accepts. Each rule accepts a subset of what
 * redis-server's own config parser accepts (checked against a real redis-server by {@code
 * UserDirectivesIT}), so a value that passes never makes the next start of Redis fail.
 */
interface DirectiveRule {
  long INT_MAX = Integer.MAX_VALUE;
  long LONG_MAX = Long.MAX_VALUE;

  /**
   * Why the value is refused, phrased to follow "value of 'name' ", or empty when it is accepted.
   */
  Optional<String> problem(String value);

  /** Decimal integer as Redis' string2ll reads it: no sign on zero, no leading zeros, no units. */
  Pattern INTEGER = Pattern.compile("^(0|-?[1-9][0-9]{0,18})$");

  /**
   * A byte count as Redis' memtoll reads it: digits and an optional unit (b, k, kb, m, mb, g, gb).
   */
  Pattern MEMORY =
      Pattern.compile("^(0|[1-9][0-9]{0,18})(b|k|kb|m|mb|g|gb)?$", Pattern.CASE_INSENSITIVE);

  static DirectiveRule integer(long min, long max) {
    return value -> {
      String expected = "must be an integer between " + min + " and " + max;
      if (!INTEGER.matcher(value).matches()) {
        return Optional.of(expected);
      }
      BigInteger n = new BigInteger(value);
      return n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0
          ? Optional.of(expected)
          : Optional.empty();
    };
  }

  static DirectiveRule memory(long minBytes, long maxBytes) {
    return value -> {
      String expected =
          "must be a size in bytes between "
              + minBytes
              + " and "
              + maxBytes
              + " (digits with an optional unit b, k, kb, m, mb, g or gb, e.g. 512mb)";
      Optional<BigInteger> bytes = bytes(value);
      return bytes.isEmpty()
              || bytes.get().compareTo(BigInteger.valueOf(minBytes)) < 0
              || bytes.get().compareTo(BigInteger.valueOf(maxBytes)) > 0
          ? Optional.of(expected)
          : Optional.empty();
    };
  }

  static Optional<BigInteger> bytes(String value) {
    Matcher m = MEMORY.matcher(value);
    if (!m.matches()) {
      return Optional.empty();
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long multiplier =
        switch (unit) {
          case "k" -> 1000L;
          case "kb" -> 1024L;
          case "m" -> 1000L * 1000;
          case "mb" -> 1024L * 1024;
          case "g" -> 1000L * 1000 * 1000;
          case "gb" -> 1024L * 1024 * 1024;
          default -> 1L;
        };
    return Optional.of(new BigInteger(m.group(1)).multiply(BigInteger.valueOf(multiplier)));
  }

  static DirectiveRule oneOf(String... options) {
    Set<String> allowed = Set.of(options);
    return value ->
        allowed.contains(value)
            ? Optional.empty()
            : Optional.of("must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
  }

  static DirectiveRule yesNo() {
    return oneOf("yes", "no");
  }

  /** {@code save}: pairs of "seconds changes", seconds at least 1, changes at least 0. */
  static DirectiveRule savePoints() {
    DirectiveRule seconds = integer(1, INT_MAX);
    DirectiveRule changes = integer(0, INT_MAX);
    return value -> {
      String[] parts = value.trim().split(" +");
      boolean ok = parts.length % 2 == 0 && parts.length > 0;
      for (int i = 0; ok && i < parts.length; i++) {
        ok = (i % 2 == 0 ? seconds : changes).problem(parts[i]).isEmpty();
      }
      return ok
          ? Optional.empty()
          : Optional.of(
              "must be pairs of '<seconds> <changes>' (seconds at least 1), e.g. '3600 1 300 100'");
    };
  }

  /** {@code notify-keyspace-events}: letters from Redis' set of event classes. */
  static DirectiveRule keyspaceEvents() {
    Pattern flags = Pattern.compile("^[AKEg$lshzxetdmn]+$");
    return value ->
        flags.matcher(value).matches()
            ? Optional.empty()
            : Optional.of("must be letters from 'AKEg$lshzxetdmn'");
  }

  /**
   * {@code client-output-buffer-limit} for the normal and pubsub classes: "class hard soft seconds"
   * groups. The replica class is the operator's: a small limit would keep disconnecting the
   * replicas failover relies on.
   */
  static DirectiveRule clientOutputBufferLimit() {
    DirectiveRule size = memory(0, LONG_MAX / 2);
    DirectiveRule seconds = integer(1, INT_MAX);
    return value -> {
      String[] parts = value.trim().split(" +");
      boolean ok = parts.length % 4 == 0 && parts.length > 0;
      for (int i = 0; ok && i < parts.length; i += 4) {
        ok =
            (parts[i].equals("normal") || parts[i].equals("pubsub"))
                && size.problem(parts[i + 1]).isEmpty()
                && size.problem(parts[i + 2]).isEmpty()
                && seconds.problem(parts[i + 3]).isEmpty();
      }
      return ok
          ? Optional.empty()
          : Optional.of(
              "must be groups of '<normal|pubsub> <hard> <soft> <seconds>', e.g. 'pubsub 32mb 8mb 60'");
    };
  }
}
