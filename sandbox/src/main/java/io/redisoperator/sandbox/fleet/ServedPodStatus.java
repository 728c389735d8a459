package io.redisoperator.sandbox.fleet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The status the fleet owns for a pod it serves, as a kubelet owns it: phase Running, the
 * Initialized, ContainersReady and Ready conditions True and every container running and ready.
 * Other writers' conditions (PodScheduled, DisruptionTarget) are theirs. Pure.
 */
final class ServedPodStatus {
  /** The conditions the kubelet sets; the scheduler's PodScheduled is written once, with them. */
  static final List<String> OWNED_CONDITIONS = List.of("Initialized", "ContainersReady", "Ready");

  private static final String RUNNING = "Running";

  private ServedPodStatus() {}

  /** The first status of a served pod, everything true since {@code since}. */
  static PodStatus running(Pod pod, String nodeIp, String podIp, String since) {
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", since));
    OWNED_CONDITIONS.forEach(type -> conditions.add(condition(type, since)));
    return new PodStatusBuilder()
        .withPhase(RUNNING)
        .withHostIP(nodeIp)
        .withPodIP(podIp)
        .withPodIPs(new PodIPBuilder().withIp(podIp).build())
        .withStartTime(since)
        .withQosClass("BestEffort")
        .withConditions(conditions)
        .withContainerStatuses(containers(pod, since))
        .build();
  }

  /**
   * What of the fleet's own status the API's copy departs from, e.g. {@code Ready=False}; empty
   * when it agrees.
   */
  static List<String> departures(Pod seen) {
    PodStatus status = seen.getStatus();
    if (status == null) {
      return List.of("no status");
    }
    List<String> departures = new ArrayList<>();
    if (!RUNNING.equals(status.getPhase())) {
      departures.add("phase=" + status.getPhase());
    }
    Map<String, String> conditions =
        status.getConditions() == null
            ? Map.of()
            : status.getConditions().stream()
                .filter(c -> c.getType() != null && c.getStatus() != null)
                .collect(
                    Collectors.toMap(PodCondition::getType, PodCondition::getStatus, (a, b) -> a));
    for (String type : OWNED_CONDITIONS) {
      String value = conditions.get(type);
      if (!"True".equals(value)) {
        departures.add(type + "=" + value);
      }
    }
    Map<String, ContainerStatus> containers = containerStatuses(status);
    for (Container container : seen.getSpec().getContainers()) {
      ContainerStatus c = containers.get(container.getName());
      if (c == null || !Boolean.TRUE.equals(c.getReady())) {
        departures.add(
            "container " + container.getName() + " ready=" + (c == null ? null : c.getReady()));
      }
    }
    return departures;
  }

  /**
   * The API's copy with what the fleet owns put back: a departed condition True again since {@code
   * now}, the containers running and ready; the rest (other writers' conditions, the addresses, the
   * start time) kept.
   */
  static PodStatus restored(Pod seen, String nodeIp, String podIp, String now) {
    PodStatus status = seen.getStatus() == null ? new PodStatus() : seen.getStatus();
    String since = Objects.requireNonNullElse(status.getStartTime(), now);
    List<PodCondition> conditions = new ArrayList<>();
    if (status.getConditions() != null) {
      for (PodCondition c : status.getConditions()) {
        boolean owned = OWNED_CONDITIONS.contains(c.getType());
        conditions.add(owned && !"True".equals(c.getStatus()) ? condition(c.getType(), now) : c);
      }
    }
    for (String type : OWNED_CONDITIONS) {
      if (conditions.stream().noneMatch(c -> type.equals(c.getType()))) {
        conditions.add(condition(type, now));
      }
    }
    Map<String, ContainerStatus> known = containerStatuses(status);
    List<ContainerStatus> containers = new ArrayList<>();
    for (ContainerStatus running : containers(seen, since)) {
      ContainerStatus c = known.get(running.getName());
      containers.add(c != null && Boolean.TRUE.equals(c.getReady()) ? c : running);
    }
    return new PodStatusBuilder(status)
        .withPhase(RUNNING)
        .withHostIP(Objects.requireNonNullElse(status.getHostIP(), nodeIp))
        .withPodIP(Objects.requireNonNullElse(status.getPodIP(), podIp))
        .withPodIPs(new PodIPBuilder().withIp(podIp).build())
        .withStartTime(since)
        .withConditions(conditions)
        .withContainerStatuses(containers)
        .build();
  }

  private static Map<String, ContainerStatus> containerStatuses(PodStatus status) {
    return status.getContainerStatuses() == null
        ? Map.of()
        : status.getContainerStatuses().stream()
            .collect(Collectors.toMap(ContainerStatus::getName, Function.identity(), (a, b) -> a));
  }

  private static List<ContainerStatus> containers(Pod pod, String since) {
    return pod.getSpec().getContainers().stream()
        .map(
            c ->
                new ContainerStatusBuilder()
                    .withName(c.getName())
                    .withImage(c.getImage())
                    .withImageID("sandbox://" + c.getImage())
                    .withContainerID("sandbox://" + pod.getMetadata().getUid() + "/" + c.getName())
                    .withReady(true)
                    .withStarted(true)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewRunning(since)
                    .endState()
                    .build())
        .toList();
  }

  private static PodCondition condition(String type, String since) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withLastTransitionTime(since)
        .build();
  }
}
