package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redisoperator.controller.cluster.StatusPacing.When;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatusPacingTest {
  private static final Instant WRITTEN = Instant.parse("2026-12-05T12:00:00Z");
  private static final Instant SOON = WRITTEN.plusSeconds(1);
  private static final Instant DUE = WRITTEN.plus(StatusPacing.START_UP_SPACING);

  private static RedisClusterStatus status(Phase phase, List<String> unreachable, String... ready) {
    RedisClusterStatus status = new RedisClusterStatus();
    status.setPhase(phase);
    status.setCurrentPrimary("c-0");
    Map<String, InstanceStatusEntry> entries = new TreeMap<>();
    for (String pod : List.of("c-0", "c-1", "c-2")) {
      InstanceStatusEntry entry = new InstanceStatusEntry();
      entry.setReady(List.of(ready).contains(pod));
      entries.put(pod, entry);
    }
    status.setInstancesStatus(entries);
    status.setReadyInstances(ready.length);
    status.setUnreachableInstances(unreachable);
    return status;
  }

  private static StatusPacing writtenAt(Instant at) {
    StatusPacing pacing = new StatusPacing();
    pacing.written(at);
    return pacing;
  }

  @Test
  void aCreatingClustersStepsWaitForTheSpacingAndThenGoTogether() {
    StatusPacing pacing = writtenAt(WRITTEN);
    RedisClusterStatus recorded = status(Phase.CREATING, List.of(), "c-0");
    StatusPacing.Verdict first =
        pacing.decide(recorded, status(Phase.CREATING, List.of(), "c-0", "c-1"), false, SOON);
    assertEquals(When.LATER, first.when());
    assertEquals(DUE, first.at(), "due one spacing after the last write");
    assertEquals(
        When.NOW,
        pacing
            .decide(recorded, status(Phase.CREATING, List.of(), "c-0", "c-1", "c-2"), false, DUE)
            .when(),
        "at the due time the pass writes everything that changed meanwhile");
  }

  @Test
  void theCreatingClustersFirstWriteByThisActorGoesAtOnce() {
    assertEquals(
        When.NOW,
        new StatusPacing()
            .decide(
                status(Phase.CREATING, List.of()),
                status(Phase.CREATING, List.of(), "c-0"),
                false,
                SOON)
            .when());
  }

  @Test
  void thePhaseSettlingIsWrittenAtOnce() {
    StatusPacing pacing = writtenAt(WRITTEN);
    assertEquals(
        When.NOW,
        pacing
            .decide(
                status(Phase.CREATING, List.of(), "c-0", "c-1"),
                status(Phase.HEALTHY, List.of(), "c-0", "c-1", "c-2"),
                false,
                SOON)
            .when());
  }

  @Test
  void aDecisionIsWrittenAtOnceEvenWhileCreating() {
    RedisClusterStatus recorded = status(Phase.CREATING, List.of(), "c-0");
    assertEquals(When.NOW, writtenAt(WRITTEN).decide(recorded, recorded, true, SOON).when());
  }

  @Test
  void aHealthyClustersUnreachableRecordIsNeverDelayed() {
    StatusPacing pacing = writtenAt(WRITTEN);
    RedisClusterStatus healthy = status(Phase.HEALTHY, List.of(), "c-0", "c-1", "c-2");
    RedisClusterStatus unreachable = status(Phase.HEALTHY, List.of("c-0"), "c-0", "c-1", "c-2");
    assertEquals(When.NOW, pacing.decide(healthy, unreachable, false, SOON).when(), "recorded");
    assertEquals(When.NOW, pacing.decide(unreachable, healthy, false, SOON).when(), "removed");
  }

  @Test
  void aDegradedClustersChangesAreNotPaced() {
    assertEquals(
        When.NOW,
        writtenAt(WRITTEN)
            .decide(
                status(Phase.DEGRADED, List.of(), "c-0"),
                status(Phase.DEGRADED, List.of(), "c-0", "c-1"),
                false,
                SOON)
            .when());
  }

  @Test
  void nothingMaterialIsNotWritten() {
    RedisClusterStatus recorded = status(Phase.CREATING, List.of(), "c-0");
    RedisClusterStatus moved = status(Phase.CREATING, List.of(), "c-0");
    moved.getInstancesStatus().get("c-0").setReplicationOffset(42L);
    assertEquals(When.NONE, writtenAt(WRITTEN).decide(recorded, moved, false, DUE).when());
  }
}
