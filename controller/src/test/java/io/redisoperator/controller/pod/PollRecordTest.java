package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.PollFailure;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollRecordTest {
  private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

  @Test
  void anOverduePollIsRecordedUnansweredSinceItWasSentOnce() {
    PollRecord record = new PollRecord();
    record.answered(PodActorTest.primary(), "v1", T0);
    Instant sent = T0.plusMillis(500);
    assertTrue(record.overdue(sent, false));
    assertFalse(record.overdue(sent.plusMillis(500), false), "the first unanswered poll stays");
    assertEquals(sent, record.report("p-0", "10.0.0.1", PollFailure.NONE, sent).unansweredSince());
  }

  @Test
  void anAnswerThatArrivedButWaitsForTheActorIsNotOverdue() {
    PollRecord record = new PollRecord();
    record.answered(PodActorTest.primary(), "v1", T0);
    Instant sent = T0.plusMillis(500);
    assertFalse(
        record.overdue(sent, true),
        "a busy dispatcher handled the overdue timer before the answer that had come in time");
    assertNull(record.report("p-0", "10.0.0.1", PollFailure.NONE, sent).unansweredSince());
  }
}
