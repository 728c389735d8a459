package io.redisoperator.protocol.acl;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a declared user's rule may be: key, channel and command rules and on/off. Passwords ({@code
 * >}, {@code <}, {@code #}, {@code !}, {@code nopass}, {@code resetpass}) come only from the user's
 * Secret, and {@code reset} and selectors are the operator's. The same pattern is the CRD's schema
 * pattern, so such a spec is refused at admission; an unknown command or category passes this check
 * and is refused by Redis (the agent reports it, nothing applied).
 */
public final class AclRuleSyntax {
  private AclRuleSyntax() {}

  private static final String TOKEN =
      "(on|off|allkeys|resetkeys|allchannels|resetchannels|allcommands|nocommands"
          + "|(%(R|W|RW))?~[!-~]+|&[!-~]+|[+-]@?[A-Za-z0-9_.|-]+)";

  /** RE2 and java.util.regex alike (the API server checks the schema pattern with RE2). */
  public static final String RULE_PATTERN = "^" + TOKEN + "$";

  /** A whole spec.users[].rules string: tokens separated by spaces (the CRD's schema pattern). */
  public static final String RULES_PATTERN = "^ *(" + TOKEN + "( +" + TOKEN + ")*)? *$";

  public static final int MAX_RULES_LENGTH = 4096;
  public static final String NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

  private static final Pattern RULE = Pattern.compile(RULE_PATTERN);
  private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

  /** The rules of a spec.users[].rules string, in order. */
  public static java.util.List<String> split(String rules) {
    return rules == null || rules.isBlank()
        ? java.util.List.of()
        : java.util.List.of(rules.trim().split(" +"));
  }

  /** Why {@code rule} (one token) is not allowed, empty when it is. */
  public static Optional<String> problem(String rule) {
    if (rule == null || rule.isEmpty()) {
      return Optional.of("a rule is empty");
    }
    char first = rule.charAt(0);
    if (first == '>'
        || first == '<'
        || first == '#'
        || first == '!'
        || rule.equals("nopass")
        || rule.equals("resetpass")) {
      return Optional.of(
          "'" + redacted(rule) + "' sets a password: passwords come from passwordSecret only");
    }
    if (!RULE.matcher(rule).matches()) {
      return Optional.of(
          "'" + rule + "' is not a key (~), channel (&), command (+/-) rule, on or off");
    }
    return Optional.empty();
  }

  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** A password rule is named by its kind only: the value must not reach a condition or a log. */
  private static String redacted(String rule) {
    return rule.length() <= 1 || rule.equals("nopass") || rule.equals("resetpass")
        ? rule
        : rule.charAt(0) + "…";
  }
}
