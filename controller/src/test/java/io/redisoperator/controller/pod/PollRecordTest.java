package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.agent.AgentClient.VersionedStatus;
import io.redisoperator.controller.observation.PollFailure;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PollRecordTest {
  private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

  @Test
  void anOverduePollIsRecordedUnansweredSinceItWasSentOnce() {
    PollRecord record = new PollRecord();
    record.answered(PodActorTest.primary(), "v1", T0, T0);
    Instant sent = T0.plusMillis(500);
    assertTrue(record.overdue(sent, false));
    assertFalse(record.overdue(sent.plusMillis(500), false), "the first unanswered poll stays");
    assertEquals(sent, record.report("p-0", "10.0.0.1", PollFailure.NONE, sent).unansweredSince());
  }

  @Test
  void anAnswerOfANewerVersionIsDatedNoEarlierThanTheAnswersItFollows() {
    PollRecord record = new PollRecord();
    Instant heldSent = T0.plusMillis(100);
    Instant urgentSent = T0.plusSeconds(3);
    assertEquals(Optional.of(T0), record.answered(PodActorTest.primary(), "a.1", T0, T0));
    assertEquals(
        Optional.of(urgentSent),
        record.answered(PodActorTest.primary(), "a.1", urgentSent, urgentSent));
    assertEquals(
        Optional.of(heldSent),
        record.answered(PodActorTest.primary(), "a.1", urgentSent, heldSent),
        "the same version: as old as its request, no newer than the urgent answer");
    assertEquals(
        Optional.of(urgentSent),
        record.answered(PodActorTest.primary(), "a.2", urgentSent.plusMillis(300), heldSent),
        "a newer version was read after the urgent answer's");
    assertEquals(
        Optional.of(heldSent),
        record.answered(PodActorTest.primary(), "b.3", urgentSent.plusSeconds(1), heldSent),
        "another incarnation's version says nothing about the order");
  }

  @Test
  void anAnswerReadBeforeOneRecordedIsNeitherRecordedNorReported() {
    PollRecord record = new PollRecord();
    Instant heldSent = T0;
    Instant urgentSent = T0.plusSeconds(3);
    record.answered(PodActorTest.primary(), "a.2", urgentSent.plusMillis(10), heldSent);
    assertEquals(
        Optional.empty(),
        record.answered(PodActorTest.primary(), "a.1", urgentSent.plusMillis(20), urgentSent),
        "the urgent poll's answer came after the held one's but was read before it");
    assertEquals("a.2", record.version());
  }

  @Test
  void anAnswerThatArrivedButWaitsForTheActorIsNotOverdue() {
    PollRecord record = new PollRecord();
    record.answered(PodActorTest.primary(), "v1", T0, T0);
    Instant sent = T0.plusMillis(500);
    assertFalse(
        record.overdue(sent, true),
        "a busy dispatcher handled the overdue timer before the answer that had come in time");
    assertNull(record.report("p-0", "10.0.0.1", PollFailure.NONE, sent).unansweredSince());
  }

  @Test
  void aPollsOutcomeIsRecordedAndReportedUnlessItsAnswerIsOlderThanOneRecorded() {
    PollRecord record = new PollRecord();
    Instant later = T0.plusSeconds(1);
    Optional<PodReport> answered =
        record.polled(
            "p-0",
            "10.0.0.1",
            new VersionedStatus(PodActorTest.primary(), "a.2"),
            PollFailure.NONE,
            later,
            later);
    assertEquals(later, answered.orElseThrow().requestedAt());
    assertEquals(later, answered.orElseThrow().lastSeen());
    assertEquals(
        Optional.empty(),
        record.polled(
            "p-0",
            "10.0.0.1",
            new VersionedStatus(PodActorTest.primary(), "a.1"),
            PollFailure.NONE,
            T0,
            later.plusMillis(5)),
        "read before the answer recorded");
    PodReport failed =
        record
            .polled("p-0", "10.0.0.1", null, PollFailure.TIMEOUT, later.plusSeconds(1), later)
            .orElseThrow();
    assertEquals(1, failed.consecutiveFailures());
    assertEquals(PollFailure.TIMEOUT, failed.lastFailure());
    assertEquals(later.plusSeconds(1), failed.unansweredSince());
    assertEquals(later, failed.lastSeen(), "the last answer stays");
  }
}
