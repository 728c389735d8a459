package io.redisoperator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettlementTest {
  private static RedisCluster healthy(String primary) {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName("bench");
    cluster.getMetadata().setGeneration(1L);
    cluster.getSpec().setInstances(3);
    cluster.getStatus().setPhase(Phase.HEALTHY);
    cluster.getStatus().setReadyInstances(3);
    cluster.getStatus().setCurrentPrimary(primary);
    cluster.getStatus().setObservedGeneration(1L);
    return cluster;
  }

  private static Pod pod(String name, String role, boolean ready) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels(Labels.CLUSTER, "bench")
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    if (role != null) {
      pod.editMetadata().addToLabels(Labels.ROLE, role).endMetadata();
    }
    return pod.build();
  }

  private static List<Pod> threePods(String primary) {
    List<Pod> pods = new ArrayList<>();
    for (String name : List.of("bench-0", "bench-1", "bench-2")) {
      pods.add(pod(name, name.equals(primary) ? Labels.ROLE_PRIMARY : Labels.ROLE_REPLICA, true));
    }
    return pods;
  }

  @Test
  void healthyReadyAndLabelledIsSettled() {
    assertEquals(Optional.empty(), Settlement.problem(healthy("bench-1"), threePods("bench-1")));
  }

  @Test
  void aPhaseOtherThanHealthyIsNotSettled() {
    RedisCluster cluster = healthy("bench-0");
    cluster.getStatus().setPhase(Phase.FAILING_OVER);
    assertTrue(
        Settlement.problem(cluster, threePods("bench-0")).orElseThrow().contains("FAILING_OVER"));
  }

  @Test
  void aFencedInstanceIsNotSettled() {
    RedisCluster cluster = healthy("bench-0");
    cluster.getStatus().getFencedInstances().add("bench-2");
    assertTrue(Settlement.problem(cluster, threePods("bench-0")).orElseThrow().contains("bench-2"));
  }

  @Test
  void aMissingOrUnreadyPodIsNotSettled() {
    List<Pod> two = threePods("bench-0").subList(0, 2);
    assertEquals(Optional.of("2 of 3 pods"), Settlement.problem(healthy("bench-0"), two));
    List<Pod> unready = threePods("bench-0");
    unready.set(2, pod("bench-2", Labels.ROLE_REPLICA, false));
    assertEquals(Optional.of("bench-2 not Ready"), Settlement.problem(healthy("bench-0"), unready));
  }

  @Test
  void roleLabelsMustAgreeWithTheRecordedPrimary() {
    // Status already names bench-1, the labels still route -leader to bench-0.
    assertEquals(
        Optional.of("bench-0 labelled primary, expected replica"),
        Settlement.problem(healthy("bench-1"), threePods("bench-0")));
    List<Pod> unlabelled = threePods("bench-1");
    unlabelled.set(1, pod("bench-1", null, true));
    assertEquals(
        Optional.of("bench-1 labelled null, expected primary"),
        Settlement.problem(healthy("bench-1"), unlabelled));
  }

  @Test
  void aPodBeingDeletedDoesNotCount() {
    List<Pod> pods = threePods("bench-0");
    pods.get(2).getMetadata().setDeletionTimestamp("2026-11-24T00:00:00Z");
    assertEquals(Optional.of("2 of 3 pods"), Settlement.problem(healthy("bench-0"), pods));
  }
}
