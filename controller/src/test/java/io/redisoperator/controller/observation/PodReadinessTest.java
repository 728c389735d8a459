package io.redisoperator.controller.observation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class PodReadinessTest {
  private static Pod withCondition(String type, String status) {
    return new PodBuilder()
        .withNewStatus()
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("True")
        .endCondition()
        .addNewCondition()
        .withType(type)
        .withStatus(status)
        .endCondition()
        .endStatus()
        .build();
  }

  @Test
  void onlyATrueReadyConditionIsReady() {
    assertTrue(PodReadiness.ready(withCondition("Ready", "True")));
    assertFalse(PodReadiness.ready(withCondition("Ready", "False")));
    assertFalse(PodReadiness.ready(withCondition("Ready", "Unknown")));
    assertFalse(PodReadiness.ready(withCondition("ContainersReady", "True")), "not Ready itself");
  }

  @Test
  void aPodWithoutStatusOrConditionsIsNotReady() {
    assertFalse(PodReadiness.ready(new Pod()));
    assertFalse(PodReadiness.ready(new PodBuilder().withNewStatus().endStatus().build()));
  }
}
