package io.redisoperator.protocol.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.crd.InstanceRole;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StatusVersionsTest {
  /** What every status here shares: the fields the versions ignore or that never change. */
  private static InstanceStatus.Builder status(String pod, InstanceRole role) {
    return InstanceStatus.builder(pod)
        .role(role)
        .connectedReplicas(List.of())
        .configHash("h")
        .secretVersions(Map.of())
        .redisProcessRunning(true);
  }

  private static InstanceStatus primary(long offset, long uptime) {
    return status("p-0", InstanceRole.PRIMARY)
        .redisUp(true)
        .redisVersion("7.2.4")
        .masterReplId("id1")
        .replicationOffset(offset)
        .connectedReplicas(List.of(new ReplicaInfo("127.0.0.2", 6379, "online", offset, 0)))
        .agentUptimeSeconds(uptime)
        .build();
  }

  private static InstanceStatus dead() {
    return status("p-0", InstanceRole.UNKNOWN)
        .agentUptimeSeconds(9)
        .redisProcessRunning(false)
        .build();
  }

  /** A replica whose link was last heard from {@code lastIoSecondsAgo}. */
  private static InstanceStatus replica(long lastIoSecondsAgo, long offset) {
    return status("p-1", InstanceRole.REPLICA)
        .redisUp(true)
        .masterReplId("id1")
        .replicationOffset(offset)
        .masterHost("127.0.0.1")
        .masterPort(6379)
        .masterLinkUp(true)
        .masterLastIoSecondsAgo(lastIoSecondsAgo)
        .build();
  }

  /**
   * Waiters over {@code status}, on a clock the test moves, rechecking every {@code recheck} ms.
   */
  private static StatusWaiters waiters(
      Supplier<InstanceStatus> status, AtomicLong now, long recheckMillis) {
    return new StatusWaiters(status, new StatusVersions(1), now::get, recheckMillis);
  }

  /** A request held from {@code since} for up to {@code holdMillis}. */
  private static CompletableFuture<StatusWaiters.Versioned> held(
      StatusWaiters waiters, String since, long holdMillis) {
    return waiters.await(since, holdMillis).toCompletableFuture();
  }

  @Test
  void offsetsAndUptimeDoNotChangeTheVersionButRedisDeathDoes() {
    StatusVersions versions = new StatusVersions(1000);
    String first = versions.observe(primary(100, 1));
    assertEquals(first, versions.observe(primary(5000, 60)));
    String afterDeath = versions.observe(dead());
    assertNotEquals(first, afterDeath);
    assertEquals(afterDeath, versions.observe(dead()));
    assertNotEquals(afterDeath, versions.observe(primary(5000, 61)));
  }

  @Test
  void aReplicasLinkTurningStaleChangesTheVersionButItsAgeAloneDoesNot() {
    StatusVersions versions = new StatusVersions(1000);
    String fresh = versions.observe(replica(0, 100));
    assertEquals(fresh, versions.observe(replica(1, 200)), "up to 1 s still vouches");
    String stale = versions.observe(replica(2, 200));
    assertNotEquals(fresh, stale, "the replica stops vouching for its primary: news");
    assertEquals(stale, versions.observe(replica(9, 200)), "only the seconds count up");
    assertNotEquals(stale, versions.observe(replica(0, 300)), "fresh again");
  }

  @Test
  void aHeldReplicaStatusIsAnsweredWhenItsLinkTurnsStaleWithoutAWakeUp() throws Exception {
    AtomicReference<InstanceStatus> status = new AtomicReference<>(replica(0, 100));
    AtomicLong now = new AtomicLong(0);
    // INFO refreshed without a change call: only the recheck looks again.
    StatusWaiters waiters = waiters(status::get, now, 20);
    String version = waiters.current().version();
    CompletableFuture<StatusWaiters.Versioned> held = held(waiters, version, 8_000);
    status.set(replica(1, 100));
    assertThrows(
        TimeoutException.class,
        () -> held.get(200, TimeUnit.MILLISECONDS),
        "a link heard 1 s ago still vouches: held");
    status.set(replica(2, 100));
    StatusWaiters.Versioned answer = held.get(2, TimeUnit.SECONDS);
    assertEquals(2L, answer.status().masterLastIoSecondsAgo());
    assertNotEquals(version, answer.version());
  }

  @Test
  void aVersionIsNewerOnlyThanAnEarlierOneOfTheSameIncarnation() {
    StatusVersions versions = new StatusVersions(1000);
    String first = versions.observe(replica(0, 1));
    String second = versions.observe(replica(5, 1));
    assertTrue(StatusVersions.isNewer(second, first));
    assertFalse(StatusVersions.isNewer(first, second));
    assertFalse(StatusVersions.isNewer(first, first));
    String restarted = new StatusVersions(2000).observe(replica(0, 1));
    assertFalse(StatusVersions.isNewer(restarted, first), "another incarnation: no order");
    assertFalse(StatusVersions.isNewer(second, null));
    assertFalse(StatusVersions.isNewer("v2", "v1"), "not a version of this form");
  }

  @Test
  void aRestartedAgentNeverRepeatsAVersionOfItsPredecessor() {
    assertNotEquals(
        new StatusVersions(1000).observe(dead()), new StatusVersions(2000).observe(dead()));
  }

  @Test
  void aHeldRequestAnswersAtOnceWhenWokenByAChange() throws Exception {
    AtomicReference<InstanceStatus> status = new AtomicReference<>(primary(1, 1));
    AtomicLong now = new AtomicLong(0);
    StatusWaiters waiters = waiters(status::get, now, 60_000);
    String version = waiters.current().version();
    CompletableFuture<StatusWaiters.Versioned> held = held(waiters, version, 10_000);
    assertTrue(!held.isDone(), "an unchanged status is held");
    status.set(dead());
    waiters.changed();
    StatusWaiters.Versioned answer = held.get(2, TimeUnit.SECONDS);
    assertEquals(InstanceRole.UNKNOWN, answer.status().role());
    assertNotEquals(version, answer.version());
  }

  @Test
  void aStaleSinceOrNoneAnswersAtOnceAndAnUnchangedOneAtTheDeadline() throws Exception {
    AtomicLong now = new AtomicLong(0);
    StatusWaiters waiters = waiters(() -> primary(1, 1), now, 20);
    assertTrue(held(waiters, null, 10_000).isDone());
    assertTrue(held(waiters, "0.0", 10_000).isDone());
    CompletableFuture<StatusWaiters.Versioned> held =
        held(waiters, waiters.current().version(), 1_000);
    assertTrue(!held.isDone());
    now.set(1_000); // the recheck sees the deadline passed
    assertEquals(waiters.current().version(), held.get(2, TimeUnit.SECONDS).version());
  }

  @Test
  void aHoldIsCappedAtTheContractsMaximum() {
    AtomicLong now = new AtomicLong(0);
    StatusWaiters waiters = waiters(() -> primary(1, 1), now, 60_000);
    CompletableFuture<StatusWaiters.Versioned> held =
        held(waiters, waiters.current().version(), Long.MAX_VALUE);
    now.set(AgentApi.MAX_STATUS_WAIT_MILLIS);
    waiters.changed();
    assertTrue(held.isDone());
  }
}
