package io.redisoperator.agent.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import io.redisoperator.protocol.acl.OperatorUsers;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclFileTest {
  private final AclUsers users =
      new AclUsers(
          3,
          List.of(
              new AclUser(OperatorUsers.REPLICATION, List.of("-@all", "+psync"), List.of("r")),
              new AclUser("default", List.of("~*", "+@all"), List.of("d2", "d1")),
              new AclUser("app", List.of("~app:*"), List.of("a"))));

  @Test
  void oneLinePerUserWithEveryAcceptedPasswordHash() {
    assertEquals(
        "user redis-operator-replication reset on #r -@all +psync\n"
            + "user default reset on #d2 #d1 ~* +@all\n"
            + "user app reset on #a ~app:*\n",
        AclFile.render(users));
  }

  @Test
  void aNewVolumeStartsWithTheOperatorsUsersAndDefaultOff() {
    assertEquals(
        "user redis-operator-replication reset on #r -@all +psync\nuser default reset off\n",
        AclFile.bootstrap(users));
  }
}
