package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.redisoperator.controller.reconcile.Action;
import io.redisoperator.protocol.event.EventReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleEventsTest {

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  private static PersistentVolumeClaim pvc(String name) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .build();
  }

  private static ActionOutcome created(Pod pod) {
    return new ActionOutcome(new Action.Create(pod), null, pod, null, null);
  }

  @Test
  void aPassesCreatedPodsAreOneEvent() {
    assertEquals(
        List.of(new Action.Emit(EventReason.CREATED_POD, "Created Pods c-1, c-2")),
        LifecycleEvents.of(List.of(created(pod("c-1")), created(pod("c-2")))),
        "a cluster's replicas, created in one pass: one write to the API server, not two");
  }

  @Test
  void oneObjectReadsAsItAlwaysDid() {
    assertEquals(
        List.of(new Action.Emit(EventReason.CREATED_POD, "Created Pod c-0")),
        LifecycleEvents.of(List.of(created(pod("c-0")))));
  }

  @Test
  void eachReasonHasItsOwnEventInTheVocabularysOrder() {
    PersistentVolumeClaim claim = pvc("c-data-2");
    assertEquals(
        List.of(
            new Action.Emit(EventReason.DELETED_POD, "Deleted Pod c-3"),
            new Action.Emit(
                EventReason.CREATED_VOLUME_CLAIM, "Created PersistentVolumeClaim c-data-2")),
        LifecycleEvents.of(
            List.of(
                new ActionOutcome(new Action.Create(claim), null, claim, null, null),
                new ActionOutcome(
                    new Action.Delete(Pod.class, "c-3", "scale down to 3"),
                    pod("c-3"),
                    null,
                    true,
                    null))));
  }

  @Test
  void aFailedCallAnObjectAlreadyGoneOrAnotherKindIsNoEvent() {
    ConfigMap config =
        new ConfigMapBuilder().withNewMetadata().withName("c-config").endMetadata().build();
    assertEquals(
        List.of(),
        LifecycleEvents.of(
            List.of(
                new ActionOutcome(
                    new Action.Create(pod("c-1")), null, null, null, new IllegalStateException()),
                new ActionOutcome(
                    new Action.Delete(Pod.class, "c-3", "scale down to 3"),
                    null,
                    null,
                    false,
                    null),
                new ActionOutcome(new Action.Create(config), null, config, null, null))));
  }
}
