package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.pod.PodCommand.Target;
import io.redisoperator.controller.pod.StatusWatch.Next;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusWatchTest {
  private static final Instant T0 = Instant.parse("2026-12-06T05:00:00Z");
  private static final Target TARGET =
      new Target("10.0.0.1", null, Duration.ofSeconds(1), Duration.ofSeconds(1));

  /** A record of a primary that answered with a status version: a watch goes beside its polls. */
  static PollRecord answeringPrimary() {
    PollRecord record = new PollRecord();
    record.answered(PodActorTest.primary(), "a.1", T0, T0);
    return record;
  }

  @Test
  void aWatchIsDueOnlyForAnAnsweringPrimaryThatIsNotGone() {
    StatusWatch watch = new StatusWatch();
    assertTrue(watch.due(TARGET, answeringPrimary(), false));
    assertFalse(watch.due(TARGET, new PollRecord(), false), "nothing answered yet");
    assertFalse(watch.due(TARGET, answeringPrimary(), true), "a gone pod is polled, not watched");
    assertFalse(watch.due(null, answeringPrimary(), false), "no target");
    assertFalse(
        watch.due(
            new Target(null, null, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            answeringPrimary(),
            false),
        "no address");
  }

  @Test
  void oneWatchIsHeldAtATime() {
    StatusWatch watch = new StatusWatch();
    PollRecord record = answeringPrimary();
    assertTrue(watch.start(TARGET, record));
    assertTrue(watch.held());
    assertFalse(watch.due(TARGET, record, false));
    assertFalse(watch.start(TARGET, record), "one is held already");
    assertEquals(Next.WATCH_AGAIN, watch.ended(TARGET, "10.0.0.1", false, "a.1", "a.1"));
    assertFalse(watch.held());
    assertTrue(watch.due(TARGET, record, false));
  }

  @Test
  void theFirstWatchGoesBesideAPollAndNotWhileFirstContactsWait() {
    StatusWatch watch = new StatusWatch();
    assertTrue(watch.firstBesidePoll(false));
    assertFalse(watch.firstBesidePoll(true), "its handshake would be one more in their way");
    assertFalse(watch.sentOnce());
    watch.start(TARGET, answeringPrimary());
    assertTrue(watch.sentOnce());
    assertFalse(watch.firstBesidePoll(false), "after the first, each answer checks for one");
    watch.newAddress();
    assertTrue(watch.firstBesidePoll(false), "a new address: the first goes beside a poll again");
  }

  @Test
  void aChangedVersionAsksForAPollAndAnUnchangedOneForTheNextWatch() {
    StatusWatch watch = new StatusWatch();
    watch.start(TARGET, answeringPrimary());
    assertEquals(Next.POLL_NOW, watch.ended(TARGET, "10.0.0.1", false, "a.2", "a.1"));
    watch.start(TARGET, answeringPrimary());
    assertEquals(Next.WATCH_AGAIN, watch.ended(TARGET, "10.0.0.1", false, "a.1", "a.1"));
  }

  @Test
  void aFailedWatchAsksForAPollAndPausesTheNextUntilItsTimer() {
    StatusWatch watch = new StatusWatch();
    PollRecord record = answeringPrimary();
    watch.start(TARGET, record);
    assertEquals(Next.POLL_NOW_AND_WATCH_LATER, watch.ended(TARGET, "10.0.0.1", true, null, "a.1"));
    assertFalse(watch.due(TARGET, record, false), "paused: a poll's answer sends no watch");
    assertTrue(watch.start(TARGET, record), "its timer ends the pause");
  }

  @Test
  void anAnswerFromAPreviousAddressAsksForNothing() {
    StatusWatch watch = new StatusWatch();
    watch.start(TARGET, answeringPrimary());
    assertEquals(Next.NOTHING, watch.ended(TARGET, "10.0.0.9", true, null, "a.1"));
    assertFalse(watch.held());
    assertTrue(watch.due(TARGET, answeringPrimary(), false), "no pause for another address");
  }
}
