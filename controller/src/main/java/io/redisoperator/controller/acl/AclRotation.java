package io.redisoperator.controller.acl;

import io.redisoperator.protocol.acl.AclUser;
import io.redisoperator.protocol.acl.AclUsers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Pure: the next {@link AclUsers} the pods should apply. A changed password is added next to the
 * previous one (both accepted); the previous one is removed only once every data pod reports it
 * applied a generation holding the new one and the grace period since the rotation began is over,
 * so a client never meets a pod that refuses the password it was given, whichever it has, while
 * clients have the grace period to pick up the new one.
 */
public final class AclRotation {
  private AclRotation() {}

  /**
   * @param current what the pods were last given, null for a new cluster
   * @param desired every user the pods must have, in order
   * @param appliedGenerations the generation each data pod reports it applied (-1: unknown, e.g.
   *     not answering)
   * @param now the time of this pass
   * @param grace how long an old password stays accepted after its rotation began
   * @return {@code current} itself when nothing changes, else the next generation
   */
  public static AclUsers next(
      AclUsers current,
      List<DesiredUser> desired,
      Collection<Long> appliedGenerations,
      Instant now,
      Duration grace) {
    if (current == null) {
      return new AclUsers(
          1,
          desired.stream()
              .map(d -> new AclUser(d.name(), d.rules(), List.of(d.passwordHash())))
              .toList());
    }
    boolean everyPodCurrent =
        !appliedGenerations.isEmpty()
            && appliedGenerations.stream().allMatch(g -> g >= current.generation());
    boolean graceOver = !now.isBefore(rotationEnds(current, grace).orElse(now));
    boolean started = false;
    List<AclUser> users = new ArrayList<>();
    for (DesiredUser d : desired) {
      List<String> previous = current.user(d.name()).map(AclUser::passwordHashes).orElse(List.of());
      List<String> hashes;
      if (previous.isEmpty()) {
        hashes = List.of(d.passwordHash());
      } else if (!previous.contains(d.passwordHash())) {
        // The new one first, then the one clients had until now (a third password mid-rotation
        // retires the oldest).
        hashes = List.of(d.passwordHash(), previous.get(0));
        started = true;
      } else if (previous.size() > 1 && everyPodCurrent && graceOver) {
        hashes = List.of(d.passwordHash());
      } else {
        hashes = previous;
      }
      users.add(new AclUser(d.name(), d.rules(), hashes));
    }
    if (users.equals(current.users())) {
      return current;
    }
    boolean rotating = users.stream().anyMatch(u -> u.passwordHashes().size() > 1);
    String startedAt = !rotating ? null : started ? now.toString() : current.rotationStartedAt();
    return new AclUsers(current.generation() + 1, users, startedAt);
  }

  /**
   * When the old passwords of a rotation may go (once every pod has the new ones too); empty when
   * not rotating.
   */
  public static Optional<Instant> rotationEnds(AclUsers users, Duration grace) {
    if (!rotating(users) || users.rotationStartedAt() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(users.rotationStartedAt()).plus(grace));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether some user still accepts an old password next to its new one. */
  public static boolean rotating(AclUsers users) {
    return users.users().stream().anyMatch(u -> u.passwordHashes().size() > 1);
  }
}
