package io.redisoperator.agent.acl;

import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.acl.OperatorUsers;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure: the ACL file Redis loads at start ({@code aclfile} on the data volume). It only ever holds
 * users Redis has already accepted (or the operator's own, whose rules are fixed), so a restart
 * never fails on a rule.
 */
public final class AclFile {
  private AclFile() {}

  /** Every user of {@code users}, one {@code user <name> <rules>} line each. */
  public static String render(AclUsers users) {
    return render(users.users());
  }

  /**
   * The file a pod starts with before it applied anything: the operator's own users (the agent must
   * be able to log in) and {@code default} switched off. The declared users follow live, once Redis
   * has checked their rules.
   */
  public static String bootstrap(AclUsers users) {
    List<AclUser> operators = new ArrayList<>();
    for (AclUser u : users.users()) {
      if (OperatorUsers.reserved(u.name())) {
        operators.add(u);
      }
    }
    return render(operators) + "user " + OperatorUsers.DEFAULT + " reset off\n";
  }

  private static String render(List<AclUser> users) {
    StringBuilder file = new StringBuilder();
    for (AclUser u : users) {
      file.append("user ").append(u.name());
      for (String arg : u.setUserArguments()) {
        file.append(' ').append(arg);
      }
      file.append('\n');
    }
    return file.toString();
  }
}
