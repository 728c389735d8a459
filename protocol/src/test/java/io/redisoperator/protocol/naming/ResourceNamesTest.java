package io.redisoperator.protocol.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ResourceNamesTest {
  @Test
  void namesFollowTheContract() {
    assertEquals("cache-2", ResourceNames.podName("cache", 2));
    assertEquals("cache-data-2", ResourceNames.pvcName("cache", 2));
    assertEquals("cache-leader", ResourceNames.leaderService("cache"));
    assertEquals("cache-replica", ResourceNames.replicaService("cache"));
    assertEquals("cache-any", ResourceNames.anyService("cache"));
    assertEquals("cache-sentinel", ResourceNames.sentinelService("cache"));
  }

  @Test
  void ordinalIsParsedOnlyForThisClustersPods() {
    assertEquals(OptionalInt.of(12), ResourceNames.ordinalOf("cache", "cache-12"));
    assertEquals(OptionalInt.of(0), ResourceNames.ordinalOf("my-cache", "my-cache-0"));
    assertEquals(OptionalInt.empty(), ResourceNames.ordinalOf("cache", "other-1"));
    assertEquals(OptionalInt.empty(), ResourceNames.ordinalOf("cache", "cache-data-1"));
    assertEquals(OptionalInt.empty(), ResourceNames.ordinalOf("cache", "cache-01"));
    assertEquals(OptionalInt.empty(), ResourceNames.ordinalOf("cache", "cache-99999999999"));
  }
}
