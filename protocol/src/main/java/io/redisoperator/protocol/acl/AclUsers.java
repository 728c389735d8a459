package io.redisoperator.protocol.acl;

import java.util.List;
import java.util.Optional;

/**
 * The users every data pod's Redis must have, written by the controller into the {@code
 * <cluster>-acl} Secret (key {@code users.json}) and applied by each agent. Users not listed are
 * removed from Redis.
 *
 * @param generation increases with every change; an agent reports the generation it applied, which
 *     is how the controller knows when every pod accepts a new password (and the old one can go)
 * @param rotationStartedAt when the newest password rotation began (ISO-8601), null when no user
 *     has two passwords
 */
public record AclUsers(long generation, List<AclUser> users, String rotationStartedAt) {
  public AclUsers {
    users = List.copyOf(users);
  }

  /** Users with one password each. */
  public AclUsers(long generation, List<AclUser> users) {
    this(generation, users, null);
  }

  public Optional<AclUser> user(String name) {
    return users.stream().filter(u -> u.name().equals(name)).findFirst();
  }
}
