package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The controller's own writes that the informer cache has not shown yet. Without it, the pass right
 * after a create would find the object still missing and create it again. An entry lasts until the
 * cache has moved on from the version the write was based on (or a minute passes), so the API
 * server stays the source of truth.
 */
final class Overlay {
  private static final Duration MAX_AGE = Duration.ofMinutes(1);

  private record Key(Class<?> kind, String name) {}

  /** {@code object} null means deleted. */
  private record Entry(HasMetadata object, String versionBefore, Instant at) {}

  private final Map<Key, Entry> entries = new HashMap<>();

  void written(Class<?> kind, String name, HasMetadata before, HasMetadata after, Instant now) {
    String versionBefore = before == null ? null : before.getMetadata().getResourceVersion();
    entries.put(new Key(kind, name), new Entry(after, versionBefore, now));
  }

  /**
   * The cache's objects with the pending writes laid over them; entries the cache caught up with
   * are dropped.
   */
  Map<Class<? extends HasMetadata>, List<HasMetadata>> apply(
      Map<Class<? extends HasMetadata>, List<HasMetadata>> cache, Instant now) {
    Map<Class<? extends HasMetadata>, List<HasMetadata>> result = new HashMap<>();
    cache.forEach((kind, list) -> result.put(kind, new ArrayList<>(list)));
    Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, Entry> e = it.next();
      Key key = e.getKey();
      Entry entry = e.getValue();
      List<HasMetadata> list = result.get(key.kind());
      if (list == null) {
        it.remove();
        continue;
      }
      HasMetadata cached =
          list.stream()
              .filter(o -> o.getMetadata().getName().equals(key.name()))
              .findFirst()
              .orElse(null);
      String cachedVersion = cached == null ? null : cached.getMetadata().getResourceVersion();
      boolean cacheMovedOn = !Objects.equals(cachedVersion, entry.versionBefore());
      if (cacheMovedOn || entry.at().plus(MAX_AGE).isBefore(now)) {
        it.remove();
        continue;
      }
      list.remove(cached);
      if (entry.object() != null) {
        list.add(entry.object());
      }
    }
    return result;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }
}
