package io.redisoperator.agent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.fencing.SelfFencingPolicy;
import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.redis.InfoParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the instance actor's checks remember between ticks. */
class InstanceWatchTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final InstanceState REPLICA =
      new InstanceState(new Endpoint("10.0.0.1", 6379), false, null, null, null, null);

  private final StatusBoard board = new StatusBoard("rc-1", Clock.fixed(T, ZoneOffset.UTC));
  private final InstanceWatch watch = new InstanceWatch(board, "rc-1", 6379);

  /** A replica whose link to its primary is down: it looks for the recorded primary. */
  private void linkDown() {
    board.recordRedisStarting(true);
    board.recordRedisRunning(true);
    board.recordInfo(
        InfoParser.parse(
            "role:slave\nmaster_host:10.0.0.1\nmaster_port:6379\nmaster_link_status:down\n"),
        T.toEpochMilli());
  }

  @Test
  void anApiReadInFlightIsNotStartedAgainAndAFailedOneIsRetriedAfterTheInterval() {
    linkDown();
    long now = T.toEpochMilli();
    assertTrue(watch.atCheck(now, REPLICA, false, 0).readApi());
    assertFalse(watch.atCheck(now + 1, REPLICA, false, 0).readApi(), "one read in flight");
    watch.readFailed();
    assertFalse(
        watch.atCheck(now + 2, REPLICA, false, 0).readApi(), "the last one started too recently");
    assertTrue(
        watch.atCheck(now + SelfFencingPolicy.PROBE_INTERVAL_MILLIS, REPLICA, false, 0).readApi());
  }

  @Test
  void aReadThatVouchesForThisPodIsContactDatedByItsStart() {
    long startedAt = T.toEpochMilli() - 700;
    watch.afterRead(REPLICA, new ClusterView("rc-0", List.of(), "10.0.0.1"), startedAt);
    assertEquals(startedAt, board.lastApiContactMillis());
    watch.afterRead(
        REPLICA, new ClusterView("rc-0", List.of(), "10.0.0.1", List.of("rc-1")), startedAt + 500);
    assertEquals(startedAt, board.lastApiContactMillis(), "a read listing it unreachable is none");
  }
}
