package io.redisoperator.controller.observation;

import com.fasterxml.jackson.core.type.TypeReference;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.ResourceNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The human fencing annotation ({@code redis.io/fenced-instances}), read once per pass: a JSON list
 * or a comma-separated list of pod names, {@code "*"} fencing every instance. The one definition of
 * "fenced by a human" that candidate selection, switchover, replication repair and fence sync all
 * use. What cannot be read fences nothing (a typo must not take the whole cluster's writes away)
 * and is reported through {@link #problem()}.
 *
 * @param pods the pod names listed (without {@code "*"})
 * @param all {@code "*"} is listed
 * @param present the annotation is set (even if unreadable)
 * @param problem why (part of) the annotation could not be read, empty when it could
 */
public record UserFencing(
    Set<String> pods, boolean all, boolean present, Optional<String> problem) {
  public static final UserFencing NONE = new UserFencing(Set.of(), false, false, Optional.empty());

  public UserFencing {
    pods = Set.copyOf(pods);
  }

  /** Fences the listed pods (tests and callers that have names already). */
  public static UserFencing of(Set<String> pods) {
    boolean all = pods.contains(ALL);
    Set<String> names = new TreeSet<>(pods);
    names.remove(ALL);
    return new UserFencing(names, all, !pods.isEmpty(), Optional.empty());
  }

  public static final String ALL = "*";

  public static UserFencing parse(String cluster, String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    String trimmed = value.trim();
    List<String> entries;
    if (trimmed.startsWith("[")) {
      try {
        entries = Json.mapper().readValue(trimmed, new TypeReference<List<String>>() {});
      } catch (IOException e) {
        return new UserFencing(
            Set.of(),
            false,
            true,
            Optional.of(
                "annotation "
                    + Annotations.FENCED_INSTANCES
                    + " is not a JSON list of pod names; nothing is fenced by it"));
      }
    } else {
      entries =
          Arrays.stream(trimmed.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    Set<String> pods = new TreeSet<>();
    boolean all = false;
    List<String> unknown = new ArrayList<>();
    for (String entry : entries) {
      if (ALL.equals(entry)) {
        all = true;
      } else if (entry != null && ResourceNames.ordinalOf(cluster, entry).isPresent()) {
        pods.add(entry);
      } else {
        unknown.add(String.valueOf(entry));
      }
    }
    Optional<String> problem =
        unknown.isEmpty()
            ? Optional.empty()
            : Optional.of(
                "annotation "
                    + Annotations.FENCED_INSTANCES
                    + " lists "
                    + unknown
                    + ", which name no instance of "
                    + cluster
                    + " (expected "
                    + cluster
                    + "-<n> or \"*\"); ignored");
    return new UserFencing(pods, all, true, problem);
  }

  /** Whether a human fences this pod (listed by name, or {@code "*"}). */
  public boolean covers(String pod) {
    return all || pods.contains(pod);
  }
}
