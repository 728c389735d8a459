package io.redisoperator.agent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.redis.InfoParser;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.InstanceStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the status says about the process and the fence: the controller promotes elsewhere on these.
 */
class StatusBoardTest {
  private static final RedisInfo PRIMARY =
      InfoParser.parse("role:master\r\nconnected_slaves:0\r\nmaster_repl_offset:5\r\n");
  private static final RedisInfo PRIMARY_WITH_REPLICA =
      InfoParser.parse(
          "role:master\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=5,lag=0\r\n");

  private final MutableClock clock = new MutableClock();
  private final StatusBoard board = new StatusBoard("rc-0", clock);

  private void wantFenced(boolean fenced) {
    board.publish(new AgentView(fenced, false, false, "h", Map.of()));
  }

  @Test
  void processRunningFollowsTheChildNotInfo() {
    assertFalse(board.status().redisProcessRunning(), "no child yet");
    board.recordRedisStarting(true);
    InstanceStatus st = board.status();
    assertTrue(st.redisProcessRunning());
    assertFalse(st.redisUp(), "INFO has not answered yet");
    assertFalse(st.redisProcessDead(), "a Redis that does not answer INFO is not proven dead");
    board.recordInfo(PRIMARY, clock.millis());
    assertTrue(board.status().redisUp());
    board.recordRedisRunning(false);
    assertTrue(board.status().redisProcessDead());
    assertFalse(board.status().redisUp());
  }

  @Test
  void aStartUnderWayIsNotReportedAsADeadProcess() {
    board.recordRedisStarting(null);
    InstanceStatus starting = board.status();
    assertTrue(starting.redisProcessRunning(), "a Redis about to run must not be proof of death");
    assertFalse(
        starting.fenced(), "the hold is not applied until the conf it starts with is known");
  }

  @Test
  void aFenceIsReportedOnlyOnceRedisConfirmedIt() {
    board.recordRedisStarting(true);
    board.recordInfo(PRIMARY, clock.millis());
    wantFenced(true);
    board.recordWritabilityApplying();
    assertFalse(
        board.status().fenced(), "recorded, CONFIG SET not answered: not a fence acknowledgement");
    assertTrue(board.fenceRecorded());
    board.recordWritabilityApplied(false);
    assertTrue(board.status().fenced());
  }

  @Test
  void aFenceThatRedisNeverAppliedIsNotReported() {
    board.recordRedisStarting(true);
    board.recordInfo(PRIMARY, clock.millis());
    wantFenced(true);
    assertFalse(board.status().fenced(), "started writable and no CONFIG SET confirmed since");
    board.publish(new AgentView(true, true, false, "h", Map.of()));
    assertFalse(
        board.status().selfFenced(), "a self-fence is an acknowledgement too: only when applied");
  }

  @Test
  void aFenceHoldsWhileNoRedisRunsAndFromAFencedConf() {
    wantFenced(true);
    assertTrue(board.status().fenced(), "no redis-server: nothing takes writes");
    board.recordRedisStarting(false);
    assertTrue(board.status().fenced(), "started from a fenced conf");
    board.recordRedisRunning(false);
    board.recordRedisStarting(null);
    assertFalse(board.status().fenced(), "a conf that says nothing is not a confirmation");
  }

  @Test
  void notWantingAFenceIsNeverReportedAsOne() {
    wantFenced(false);
    board.recordRedisStarting(false);
    assertFalse(board.status().fenced());
    board.recordWritabilityApplying();
    assertNull(board.appliedWritable());
    assertFalse(board.status().fenced());
  }

  @Test
  void onlyReportsThatForbidWritesAreRemembered() {
    board.recordRedisStarting(true);
    board.recordInfo(PRIMARY_WITH_REPLICA, clock.millis());
    assertTrue(board.hadReplicas());
    board.recordWritabilityApplied(true);
    board.recordReportServed(board.status());
    assertEquals(
        Long.MIN_VALUE, board.lastUnwritableReportMillis(), "a writable primary permits nothing");
    clock.advance(100);
    board.recordInfoFailure(new RuntimeException("INFO timed out"));
    clock.advance(3000);
    InstanceStatus stuck = board.status();
    assertFalse(stuck.redisUp());
    board.recordReportServed(stuck);
    assertEquals(
        Long.MIN_VALUE,
        board.lastUnwritableReportMillis(),
        "a Redis too busy for INFO proves nothing");
    board.recordRedisRunning(false);
    board.recordReportServed(board.status());
    assertEquals(
        clock.millis(),
        board.lastUnwritableReportMillis(),
        "process dead: the controller may promote");
  }

  private static final class MutableClock extends Clock {
    private long millis = 1_000_000;

    void advance(long ms) {
      millis += ms;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
