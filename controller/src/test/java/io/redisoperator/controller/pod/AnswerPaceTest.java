package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AnswerPaceTest {
  private static final Duration FAST = Duration.ofMillis(3);
  private static final Duration SLOW = PollSchedule.OVERDUE.plusMillis(1);

  private final AtomicLong nanos = new AtomicLong();
  private final AnswerPace pace = new AnswerPace(nanos::get);

  private void answered(int count, Duration took) {
    for (int i = 0; i < count; i++) {
      pace.answered(took);
    }
  }

  @Test
  void aFewSlowAnswersSayNothing() {
    answered(100, FAST);
    answered(AnswerPace.MIN_SLOW - 1, SLOW);
    assertFalse(pace.slow(), "one slow agent or moment is no slow controller");
    answered(1, PollSchedule.OVERDUE);
    assertFalse(pace.slow(), "an answer at the overdue time is not late");
  }

  @Test
  void answersAreSlowWhileOneInTwentyIsLate() {
    answered(AnswerPace.MIN_SLOW * AnswerPace.SLOW_SHARE - AnswerPace.MIN_SLOW, FAST);
    answered(AnswerPace.MIN_SLOW - 1, SLOW);
    assertFalse(pace.slow());
    answered(1, SLOW);
    assertTrue(pace.slow());
    answered(1, FAST);
    assertFalse(pace.slow(), "below one in twenty again");
  }

  @Test
  void aSlowWindowIsRememberedForTheNextAndForgottenAfter() {
    answered(AnswerPace.MIN_SLOW, SLOW);
    assertTrue(pace.slow());
    nanos.addAndGet(AnswerPace.WINDOW.toNanos());
    answered(50, FAST);
    assertTrue(pace.slow(), "the previous window was slow");
    nanos.addAndGet(AnswerPace.WINDOW.toNanos());
    assertFalse(pace.slow(), "two windows later it is forgotten");
  }

  @Test
  void aWindowWithNoAnswersInBetweenForgetsTheSlowOne() {
    answered(AnswerPace.MIN_SLOW, SLOW);
    nanos.addAndGet(AnswerPace.WINDOW.multipliedBy(3).toNanos());
    assertFalse(pace.slow());
  }
}
