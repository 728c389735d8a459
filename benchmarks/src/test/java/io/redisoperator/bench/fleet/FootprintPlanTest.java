package io.redisoperator.bench.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FootprintPlanTest {
  private static final int[] FIRST = {127, 1, 0, 1};

  @Test
  void addressesSkipNetworkAndBroadcastOctetsAndNeverRepeat() {
    assertEquals("127.1.0.1", FootprintPlan.address(FIRST, 0));
    assertEquals("127.1.0.254", FootprintPlan.address(FIRST, 253));
    assertEquals("127.1.1.1", FootprintPlan.address(FIRST, 254));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      String ip = FootprintPlan.address(FIRST, i);
      assertTrue(seen.add(ip), ip);
      int last = Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1));
      assertTrue(last >= 1 && last <= 254, ip);
    }
  }

  @Test
  void refusesMoreAgentsThanTheSixteenHolds() {
    assertThrows(IllegalArgumentException.class, () -> FootprintPlan.address(FIRST, 256 * 254));
  }
}
