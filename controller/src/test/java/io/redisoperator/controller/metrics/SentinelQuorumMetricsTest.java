package io.redisoperator.controller.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SentinelQuorumMetricsTest {
  @Test
  void aSentinelModeClusterHasItsQuorumSeriesUntilItLeavesSentinelMode() {
    OperatorMetrics metrics = new OperatorMetrics(() -> true);
    metrics.sentinelQuorum("ns", "c", true, 3);
    String scrape = metrics.scrape();
    assertTrue(
        scrape.contains("redis_operator_sentinel_quorum_ok{cluster=\"c\",namespace=\"ns\"} 1.0"),
        scrape);
    assertTrue(
        scrape.contains("redis_operator_sentinels_following{cluster=\"c\",namespace=\"ns\"} 3.0"),
        scrape);

    metrics.sentinelQuorum("ns", "c", false, 1);
    scrape = metrics.scrape();
    assertTrue(
        scrape.contains("redis_operator_sentinel_quorum_ok{cluster=\"c\",namespace=\"ns\"} 0.0"),
        scrape);
    assertTrue(
        scrape.contains("redis_operator_sentinels_following{cluster=\"c\",namespace=\"ns\"} 1.0"),
        scrape);

    metrics.sentinelQuorum("ns", "c", null, null);
    assertFalse(
        metrics.scrape().contains("redis_operator_sentinel_quorum_ok{"), "standalone: no series");
    metrics.sentinelQuorum("ns", "c", true, 2);
    metrics.clusterGone("ns", "c");
    assertFalse(
        metrics.scrape().contains("redis_operator_sentinels_following{"),
        "deleted cluster: no series");
  }
}
