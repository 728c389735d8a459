package io.redisoperator.agent.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclChangeTest {
  private static final AclUser DEFAULT =
      new AclUser("default", List.of("~*", "+@all", "-@admin"), List.of("d"));
  private static final AclUser APP = new AclUser("app", List.of("~app:*"), List.of("a1"));

  @Test
  void withoutMemoryEveryUserIsSetAndStrangersAreDeletedButNeverDefault() {
    AclChange change =
        AclChange.between(
            null, List.of("default", "stranger"), new AclUsers(1, List.of(DEFAULT, APP)));
    assertEquals(List.of(DEFAULT, APP), change.set());
    assertEquals(List.of("stranger"), change.delete());
  }

  @Test
  void onlyTheUserWhosePasswordChangedIsSetAgain() {
    AclUsers before = new AclUsers(1, List.of(DEFAULT, APP));
    AclUser rotated = new AclUser("app", List.of("~app:*"), List.of("a2", "a1"));
    AclChange change =
        AclChange.between(
            before, List.of("default", "app"), new AclUsers(2, List.of(DEFAULT, rotated)));
    assertEquals(List.of(rotated), change.set());
    assertEquals(List.of(), change.delete());
  }

  @Test
  void aUserMissingFromRedisIsSetEvenWhenRemembered() {
    AclUsers before = new AclUsers(1, List.of(DEFAULT, APP));
    assertEquals(List.of(APP), AclChange.between(before, List.of("default"), before).set());
    assertTrue(AclChange.between(before, List.of("default", "app"), before).empty());
  }
}
