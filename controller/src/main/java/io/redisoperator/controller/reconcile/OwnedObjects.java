package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The objects a cluster owns, by kind and name, as the controller currently believes them to be.
 * Immutable.
 */
public final class OwnedObjects {
  private final Map<Class<?>, Map<String, HasMetadata>> byKind;

  private OwnedObjects(Map<Class<?>, Map<String, HasMetadata>> byKind) {
    this.byKind = byKind;
  }

  public static OwnedObjects of(
      Map<Class<? extends HasMetadata>, ? extends Collection<? extends HasMetadata>> objects) {
    Map<Class<?>, Map<String, HasMetadata>> byKind = new java.util.HashMap<>();
    objects.forEach(
        (kind, list) -> {
          Map<String, HasMetadata> byName = new TreeMap<>();
          list.forEach(o -> byName.put(o.getMetadata().getName(), o));
          byKind.put(kind, byName);
        });
    return new OwnedObjects(byKind);
  }

  public static OwnedObjects of(HasMetadata... objects) {
    Map<Class<?>, Map<String, HasMetadata>> byKind = new java.util.HashMap<>();
    for (HasMetadata o : objects) {
      byKind.computeIfAbsent(o.getClass(), k -> new TreeMap<>()).put(o.getMetadata().getName(), o);
    }
    return new OwnedObjects(byKind);
  }

  public <T extends HasMetadata> Optional<T> get(Class<T> kind, String name) {
    return Optional.ofNullable(kind.cast(byKind.getOrDefault(kind, Map.of()).get(name)));
  }

  public <T extends HasMetadata> List<T> all(Class<T> kind) {
    return byKind.getOrDefault(kind, Map.of()).values().stream().map(kind::cast).toList();
  }
}
