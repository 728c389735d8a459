package io.redisoperator.agent.acl;

import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.acl.OperatorUsers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Pure: what to send Redis to go from the users it has to the desired ones. Only users whose line
 * changed are set again (a password rotation touches one user), users Redis has that are not
 * desired are deleted.
 *
 * @param set users to {@code ACL SETUSER} (their full definition, {@code reset} first)
 * @param delete users to {@code ACL DELUSER}
 */
public record AclChange(List<AclUser> set, List<String> delete) {

  /**
   * @param applied what this agent last applied to this Redis, null when it does not know (every
   *     user is set again)
   * @param present the users Redis has now ({@code ACL USERS})
   */
  public static AclChange between(AclUsers applied, Collection<String> present, AclUsers desired) {
    List<AclUser> set = new ArrayList<>();
    for (AclUser u : desired.users()) {
      boolean same =
          applied != null && applied.user(u.name()).map(a -> Objects.equals(a, u)).orElse(false);
      if (!same || !present.contains(u.name())) {
        set.add(u);
      }
    }
    List<String> delete = new ArrayList<>();
    for (String name : present) {
      // default cannot be deleted; when undeclared it is switched off by its desired line instead.
      if (desired.user(name).isEmpty() && !name.equals(OperatorUsers.DEFAULT)) {
        delete.add(name);
      }
    }
    return new AclChange(List.copyOf(set), List.copyOf(delete));
  }

  public boolean empty() {
    return set.isEmpty() && delete.isEmpty();
  }
}
