package io.redisoperator.protocol.acl;

import java.util.List;

/**
 * One Redis user as the agents apply it: {@code ACL SETUSER <name> reset on #<hash>... <rules>}.
 *
 * @param rules ACL rules without passwords ({@link AclRuleSyntax}); passwords come only as hashes
 * @param passwordHashes SHA-256 (hex) of every password accepted right now: two while a rotation is
 *     in progress
 */
public record AclUser(String name, List<String> rules, List<String> passwordHashes) {
  public AclUser {
    rules = List.copyOf(rules);
    passwordHashes = List.copyOf(passwordHashes);
  }

  /** The rule list of {@code ACL SETUSER} and of an ACL file line (after the name). */
  public List<String> setUserArguments() {
    java.util.ArrayList<String> args = new java.util.ArrayList<>();
    args.add("reset");
    args.add("on");
    passwordHashes.forEach(h -> args.add("#" + h));
    args.addAll(rules);
    return args;
  }

  @Override
  public String toString() {
    return "AclUser[" + name + ", " + rules + ", " + passwordHashes.size() + " password(s)]";
  }
}
