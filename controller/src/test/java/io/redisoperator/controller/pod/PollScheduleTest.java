package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  @org.junit.jupiter.api.BeforeEach
  void longPollOn() {
    System.setProperty(PollSchedule.LONG_POLL_PROPERTY, "true");
  }

  @org.junit.jupiter.api.AfterEach
  void longPollDefault() {
    System.clearProperty(PollSchedule.LONG_POLL_PROPERTY);
  }

  @Test
  void withoutTheSwitchNothingIsHeld() {
    System.clearProperty(PollSchedule.LONG_POLL_PROPERTY);
    assertNull(
        PollSchedule.next(status(InstanceRole.REPLICA, true), "v.1", false, INTERVAL).since());
  }

  private static InstanceStatus status(InstanceRole role, boolean redisUp) {
    return InstanceStatus.builder("c-0")
        .role(role)
        .redisUp(redisUp)
        .connectedReplicas(List.of())
        .secretVersions(Map.of())
        .agentUptimeSeconds(1)
        .redisProcessRunning(redisUp)
        .build();
  }

  @Test
  void aPrimaryIsNeverHeldItsPollsAreItsContactAndTheGatesEvidence() {
    assertNull(
        PollSchedule.next(status(InstanceRole.PRIMARY, true), "v.1", false, INTERVAL).since());
    assertNull(
        PollSchedule.next(status(InstanceRole.UNKNOWN, false), "v.1", false, INTERVAL).since());
  }

  @Test
  void aServingReplicaIsHeldLongerButNeverPastTheCap() {
    assertEquals(
        PollSchedule.MAX_HOLD,
        PollSchedule.next(status(InstanceRole.REPLICA, true), "v.1", false, INTERVAL).hold());
    assertEquals(
        Duration.ofMillis(2000),
        PollSchedule.next(status(InstanceRole.REPLICA, true), "v.1", false, Duration.ofMillis(200))
            .hold());
    assertNull(
        PollSchedule.next(status(InstanceRole.REPLICA, false), "v.1", false, INTERVAL).since(),
        "a replica whose Redis is down is polled like a primary");
  }

  @Test
  void afterAFailureOrWithoutVersionsThePollIsAnsweredAtOnce() {
    assertNull(
        PollSchedule.next(status(InstanceRole.REPLICA, true), "v.1", true, INTERVAL).since());
    assertNull(
        PollSchedule.next(status(InstanceRole.REPLICA, true), null, false, INTERVAL).since());
    assertNull(PollSchedule.next(null, "v.1", false, INTERVAL).since());
  }

  @Test
  void aHeldAnswerIsFollowedAtOnceAPlainOneAfterTheInterval() {
    assertEquals(
        Duration.ZERO, PollSchedule.delayAfter(true, true, Duration.ofMillis(900), INTERVAL));
    assertEquals(
        Duration.ofMillis(40),
        PollSchedule.delayAfter(true, true, Duration.ofMillis(10), INTERVAL));
    assertEquals(
        Duration.ofMillis(700),
        PollSchedule.delayAfter(true, false, Duration.ofMillis(300), INTERVAL));
    assertEquals(
        Duration.ofMillis(700),
        PollSchedule.delayAfter(false, false, Duration.ofMillis(300), INTERVAL));
    assertEquals(
        Duration.ZERO, PollSchedule.delayAfter(false, false, Duration.ofMillis(1500), INTERVAL));
  }

  @Test
  void firstPollsAreSpreadOverTheRampTheSameWayOnEveryStart() {
    Set<Long> slots = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      Duration d = PollSchedule.firstPollDelay("c" + i + "-0", INTERVAL);
      assertTrue(!d.isNegative() && d.compareTo(INTERVAL) < 0, d.toString());
      assertEquals(d, PollSchedule.firstPollDelay("c" + i + "-0", INTERVAL));
      slots.add(d.toMillis() / 100);
    }
    assertEquals(10, slots.size(), "every tenth of the ramp gets first polls");
  }
}
