package io.redisoperator.sandbox.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServedPodStatusTest {
  private static final String T0 = "2026-12-06T00:00:00Z";
  private static final String T1 = "2026-12-06T00:10:00Z";

  private final Pod pod =
      new PodBuilder()
          .withNewMetadata()
          .withNamespace("ns")
          .withName("c-0")
          .withUid("u1")
          .endMetadata()
          .withNewSpec()
          .addNewContainer()
          .withName("redis")
          .withImage("redis:7")
          .endContainer()
          .endSpec()
          .build();

  @Test
  void theFirstStatusDepartsFromNothing() {
    assertEquals(List.of(), ServedPodStatus.departures(withStatus(running())));
    assertEquals(List.of("no status"), ServedPodStatus.departures(pod));
  }

  @Test
  void theNodeControllersNotReadyIsADepartureAndIsPutBackAlone() {
    PodStatus marked = running();
    marked.getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .forEach(c -> c.setStatus("False"));
    marked
        .getConditions()
        .add(
            new PodConditionBuilder()
                .withType("DisruptionTarget")
                .withStatus("True")
                .withLastTransitionTime(T1)
                .build());
    Pod seen = withStatus(marked);

    assertEquals(List.of("Ready=False"), ServedPodStatus.departures(seen));
    PodStatus restored = ServedPodStatus.restored(seen, "127.0.200.1", "127.0.200.9", T1);
    assertEquals(List.of(), ServedPodStatus.departures(withStatus(restored)));
    assertEquals(T1, condition(restored, "Ready").getLastTransitionTime());
    assertEquals(T0, condition(restored, "ContainersReady").getLastTransitionTime());
    assertEquals("True", condition(restored, "DisruptionTarget").getStatus()); // not the fleet's
    assertEquals(T0, restored.getStartTime());
    assertEquals("127.0.200.9", restored.getPodIP());
  }

  @Test
  void aContainerNotReadyOrAPhaseChangedDepartsToo() {
    PodStatus changed = running();
    changed.setPhase("Pending");
    changed.getContainerStatuses().get(0).setReady(false);
    List<String> departures = ServedPodStatus.departures(withStatus(changed));
    assertEquals(List.of("phase=Pending", "container redis ready=false"), departures);
    PodStatus restored =
        ServedPodStatus.restored(withStatus(changed), "127.0.200.1", "127.0.200.9", T1);
    assertEquals("Running", restored.getPhase());
    assertTrue(restored.getContainerStatuses().get(0).getReady());
  }

  private PodStatus running() {
    return ServedPodStatus.running(pod, "127.0.200.1", "127.0.200.9", T0);
  }

  private Pod withStatus(PodStatus status) {
    return new PodBuilder(pod).withStatus(status).build();
  }

  private static PodCondition condition(PodStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
