package io.redisoperator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwitchoverTargetTest {
  private static Map<String, Long> offsets(Object... podAndOffset) {
    Map<String, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < podAndOffset.length; i += 2) {
      map.put((String) podAndOffset[i], ((Number) podAndOffset[i + 1]).longValue());
    }
    return map;
  }

  @Test
  void theMostCaughtUpReplicaWins() {
    assertEquals(
        Optional.of("bench-2"),
        SwitchoverTarget.choose("bench", offsets("bench-1", 100, "bench-2", 250)));
  }

  @Test
  void tiesAndUnknownOffsetsGoToTheLowestOrdinal() {
    assertEquals(
        Optional.of("bench-1"),
        SwitchoverTarget.choose("bench", offsets("bench-2", 300, "bench-1", 300)));
    assertEquals(
        Optional.of("bench-1"),
        SwitchoverTarget.choose("bench", offsets("bench-10", -1, "bench-1", -1)));
  }

  @Test
  void noReplicaNoTarget() {
    assertEquals(Optional.empty(), SwitchoverTarget.choose("bench", Map.of()));
  }
}
