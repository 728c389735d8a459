package io.redisoperator.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.config.Endpoint;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BootGuardTest {
  private static final Endpoint OLD = new Endpoint("10.0.0.9", 6379);

  @Test
  void theDesignatedPrimaryStartsWritable() {
    BootPlan p =
        BootGuard.decide(
            "rc-1", 1, Optional.of(new ClusterView("rc-1", List.of(), null)), OLD, 6379);
    assertNull(p.replicaOf());
    assertFalse(p.hold());
    assertFalse(p.fencedByStatus());
  }

  @Test
  void anyOtherPodFollowsTheRecordedPrimaryEvenIfItWasAPrimaryBefore() {
    BootPlan p =
        BootGuard.decide(
            "rc-0", 0, Optional.of(new ClusterView("rc-2", List.of(), "10.0.0.3")), null, 6379);
    assertEquals(new Endpoint("10.0.0.3", 6379), p.replicaOf());
    assertFalse(p.hold());
  }

  @Test
  void onlyTheFirstPodOfABrandNewClusterStartsWritable() {
    ClusterView fresh = new ClusterView(null, List.of(), null);
    assertFalse(BootGuard.decide("rc-0", 0, Optional.of(fresh), null, 6379).hold());
    assertTrue(BootGuard.decide("rc-1", 1, Optional.of(fresh), null, 6379).hold());
  }

  @Test
  void withoutTheApiServerNothingStartsWritable() {
    assertTrue(BootGuard.decide("rc-0", 0, Optional.empty(), null, 6379).hold());
    BootPlan replica = BootGuard.decide("rc-0", 0, Optional.empty(), OLD, 6379);
    assertEquals(OLD, replica.replicaOf(), "a replica keeps following whom it followed");
  }

  @Test
  void aPrimaryWithoutAnIpYetMeansWaiting() {
    BootPlan p =
        BootGuard.decide(
            "rc-0", 0, Optional.of(new ClusterView("rc-1", List.of(), null)), null, 6379);
    assertTrue(p.hold());
    assertNull(p.replicaOf());
  }

  @Test
  void aRecentUnwritableReportHoldsWhatWouldStartWritable() {
    ClusterView designated = new ClusterView("rc-1", List.of(), null);
    BootPlan held = BootGuard.decide("rc-1", 1, Optional.of(designated), null, 6379, false);
    assertTrue(held.hold(), "the controller may still fence rc-1 on its report: wait for it");
    assertNull(held.replicaOf());
    assertFalse(BootGuard.decide("rc-1", 1, Optional.of(designated), null, 6379, true).hold());
    BootPlan replica =
        BootGuard.decide(
            "rc-0",
            0,
            Optional.of(new ClusterView("rc-1", List.of(), "10.0.0.3")),
            null,
            6379,
            false);
    assertEquals(new Endpoint("10.0.0.3", 6379), replica.replicaOf(), "following is never held");
    assertFalse(replica.hold());
  }

  @Test
  void reportsAFenceRecordedInStatus() {
    BootPlan p =
        BootGuard.decide(
            "rc-1", 1, Optional.of(new ClusterView("rc-1", List.of("rc-1"), null)), null, 6379);
    assertTrue(p.fencedByStatus());
  }
}
