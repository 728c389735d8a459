package io.redisoperator.sandbox.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionRulesTest {
  private static final PartitionRules RULES = new PartitionRules(6443, "127.0.100.2-127.0.199.254");
  private static final String POD = "127.0.100.7";

  @Test
  void theApiServerLinkIsCutByThePodEndpointAloneInBothDirections() {
    List<List<String>> rules = RULES.matches(POD, EnumSet.of(Link.API_SERVER));
    assertEquals(
        List.of(
            List.of("-p", "tcp", "-d", POD, "--dport", "6443"),
            List.of("-p", "tcp", "-s", POD, "--sport", "6443")),
        rules);
    // No source match on the way in: the pod's HTTP client connects from 127.0.0.1, whatever it was
    // told to bind.
    assertFalse(rules.get(0).contains("-s"));
  }

  @Test
  void theControllerLinkIsTheAgentPortReachedFromTheNodeLoopback() {
    assertEquals(
        List.of(
            List.of("-p", "tcp", "-s", "127.0.0.1", "-d", POD, "--dport", "8000"),
            List.of("-p", "tcp", "-s", POD, "--sport", "8000", "-d", "127.0.0.1")),
        RULES.matches(POD, EnumSet.of(Link.CONTROLLER)));
  }

  @Test
  void thePeersLinkSparesThePodsOwnAddress() {
    // A pod talking to itself (its Redis, its API server endpoint) is not a peer link.
    List<List<String>> rules = RULES.matches(POD, EnumSet.of(Link.PEERS));
    assertEquals(2, rules.size());
    rules.forEach(r -> assertTrue(String.join(" ", r).contains("! -"), String.join(" ", r)));
    assertEquals(
        List.of(
            "-s", POD, "!", "-d", POD, "-m", "iprange", "--dst-range", "127.0.100.2-127.0.199.254"),
        rules.get(0));
  }

  @Test
  void allLinksAreSixRulesAndNoLinksNone() {
    assertEquals(6, RULES.matches(POD, EnumSet.allOf(Link.class)).size());
    assertTrue(RULES.matches(POD, EnumSet.noneOf(Link.class)).isEmpty());
  }
}
