package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverlayTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void overlayHidesOwnWritesUntilTheCacheCatchesUp() {
    Overlay overlay = new Overlay();
    Pod created =
        new io.fabric8.kubernetes.api.model.PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withResourceVersion("5")
            .endMetadata()
            .build();
    overlay.written(Pod.class, "p", null, created, NOW);
    Map<
            Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>,
            List<io.fabric8.kubernetes.api.model.HasMetadata>>
        empty = Map.of(Pod.class, List.of());
    assertEquals(1, overlay.apply(empty, NOW).get(Pod.class).size(), "created but not cached yet");
    assertEquals(1, overlay.apply(Map.of(Pod.class, List.of(created)), NOW).get(Pod.class).size());
    assertTrue(overlay.isEmpty(), "dropped once the cache shows it");
  }
}
