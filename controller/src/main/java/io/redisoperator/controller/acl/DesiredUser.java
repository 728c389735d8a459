package io.redisoperator.controller.acl;

import java.util.List;

/**
 * A user as the spec and the Secrets want it now: its rules and the hash of its one current
 * password.
 */
public record DesiredUser(String name, List<String> rules, String passwordHash) {
  public DesiredUser {
    rules = List.copyOf(rules);
  }

  @Override
  public String toString() {
    return "DesiredUser[" + name + ", " + rules + "]";
  }
}
