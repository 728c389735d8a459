package io.redisoperator.protocol.crd;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The only code that edits a condition list: keeps lastTransitionTime stable unless the status
 * flips.
 */
public final class Conditions {
  private Conditions() {}

  /**
   * Returns a new list with {@code type} set. {@code lastTransitionTime} is kept from the existing
   * condition when its status is unchanged, so rewriting the same status never looks like a
   * transition.
   */
  public static List<Condition> set(
      List<Condition> existing,
      ConditionType type,
      ConditionStatus status,
      ConditionReason reason,
      String message,
      Long observedGeneration,
      Instant now) {
    List<Condition> result = new ArrayList<>();
    boolean replaced = false;
    for (Condition c : existing == null ? List.<Condition>of() : existing) {
      if (c.getType() == type) {
        String since =
            c.getStatus() == status && c.getLastTransitionTime() != null
                ? c.getLastTransitionTime()
                : format(now);
        result.add(new Condition(type, status, reason, message, since, observedGeneration));
        replaced = true;
      } else {
        result.add(c);
      }
    }
    if (!replaced) {
      result.add(new Condition(type, status, reason, message, format(now), observedGeneration));
    }
    return result;
  }

  /**
   * Returns a new list without {@code type} (a condition that no longer applies, e.g. after a mode
   * change).
   */
  public static List<Condition> remove(List<Condition> existing, ConditionType type) {
    List<Condition> result = new ArrayList<>();
    for (Condition c : existing == null ? List.<Condition>of() : existing) {
      if (c.getType() != type) {
        result.add(c);
      }
    }
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, ConditionType type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> c.getType() == type).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, ConditionType type) {
    return find(conditions, type).map(c -> c.getStatus() == ConditionStatus.TRUE).orElse(false);
  }

  static String format(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
