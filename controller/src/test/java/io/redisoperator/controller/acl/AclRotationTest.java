package io.redisoperator.controller.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.acl.AclUsers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclRotationTest {
  private static final List<String> RULES = List.of("~app:*", "+@read");
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(90);

  private static AclUsers next(AclUsers current, List<DesiredUser> desired, List<Long> applied) {
    return next(current, desired, applied, T0);
  }

  private static AclUsers next(
      AclUsers current, List<DesiredUser> desired, List<Long> applied, Instant now) {
    return AclRotation.next(current, desired, applied, now, GRACE);
  }

  private static List<DesiredUser> app(String hash) {
    return List.of(new DesiredUser("app", RULES, hash));
  }

  @Test
  void aNewClusterGetsGenerationOneWithOnePasswordEach() {
    AclUsers first = next(null, app("h1"), List.of());
    assertEquals(1, first.generation());
    assertEquals(List.of("h1"), first.user("app").orElseThrow().passwordHashes());
    assertFalse(AclRotation.rotating(first));
  }

  @Test
  void nothingChangesWhileNothingChanged() {
    AclUsers first = next(null, app("h1"), List.of());
    assertSame(first, next(first, app("h1"), List.of(1L, 1L, -1L)));
  }

  @Test
  void aNewPasswordIsAcceptedWithTheOldUntilEveryPodHasItThenTheOldGoes() {
    AclUsers first = next(null, app("h1"), List.of());
    AclUsers both = next(first, app("h2"), List.of(1L, 1L));
    assertEquals(2, both.generation());
    assertEquals(List.of("h2", "h1"), both.user("app").orElseThrow().passwordHashes());
    assertTrue(AclRotation.rotating(both));
    // One pod still on generation 1, one not answering: both passwords stay.
    assertSame(both, next(both, app("h2"), List.of(2L, 1L)));
    assertSame(both, next(both, app("h2"), List.of(2L, -1L)));
    assertSame(both, next(both, app("h2"), List.of()));
    assertEquals(T0.toString(), both.rotationStartedAt());
    assertEquals(T0.plus(GRACE), AclRotation.rotationEnds(both, GRACE).orElseThrow());
    // Every pod has both, but clients get the grace period to pick up the new one.
    assertSame(both, next(both, app("h2"), List.of(2L, 2L), T0.plusSeconds(89)));
    AclUsers done = next(both, app("h2"), List.of(2L, 2L), T0.plusSeconds(90));
    assertEquals(3, done.generation());
    assertEquals(List.of("h2"), done.user("app").orElseThrow().passwordHashes());
    assertEquals(null, done.rotationStartedAt());
  }

  @Test
  void aThirdPasswordMidRotationKeepsTheOneClientsWereLastGiven() {
    AclUsers first = next(null, app("h1"), List.of());
    AclUsers both = next(first, app("h2"), List.of(1L));
    AclUsers third = next(both, app("h3"), List.of(1L));
    assertEquals(List.of("h3", "h2"), third.user("app").orElseThrow().passwordHashes());
  }

  @Test
  void rulesChangeAndUsersComeAndGoInOneGeneration() {
    AclUsers first = next(null, app("h1"), List.of());
    AclUsers changed =
        next(
            first,
            List.of(
                new DesiredUser("app", List.of("~*"), "h1"),
                new DesiredUser("other", List.of(), "o")),
            List.of(1L));
    assertEquals(2, changed.generation());
    assertEquals(List.of("~*"), changed.user("app").orElseThrow().rules());
    assertEquals(List.of("o"), changed.user("other").orElseThrow().passwordHashes());
    AclUsers removed =
        next(changed, List.of(new DesiredUser("other", List.of(), "o")), List.of(2L));
    assertTrue(removed.user("app").isEmpty());
  }
}
