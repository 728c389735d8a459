package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's status as this kubelet sees it, posted to the API server only when it changed, or when
 * someone else changed its Ready condition (the node lifecycle controller marks the pods of a node
 * it lost touch with not ready, and the kubelet's status manager posts its own view again).
 * Conditions keep their transition time while they hold.
 */
final class PodStatusReporter {
  private static final Logger log = LoggerFactory.getLogger(PodStatusReporter.class);

  /**
   * What the pod worker knows when it reports: its containers, whether the pod is set up, its
   * address.
   */
  record Snapshot(
      Pod pod,
      Map<String, ContainerRuntime> containers,
      boolean prepared,
      String podIp,
      Instant startTime,
      String pendingMessage,
      String nodeAddress) {}

  private final String key;
  private final Map<String, Instant> conditionSince = new HashMap<>();
  private volatile String lastStatusJson;

  /** The Ready condition's status in the last status posted, null before the first. */
  private volatile String lastReady;

  PodStatusReporter(String key) {
    this.key = key;
  }

  /**
   * The API server's copy of the pod changed: if its Ready is not what this kubelet posted, post
   * again.
   */
  void onApiView(Pod updated) {
    String apiReady = readyOf(updated.getStatus());
    if (lastReady != null && apiReady != null && !apiReady.equals(lastReady)) {
      lastStatusJson = null;
    }
  }

  /** Posts the status built from {@code snapshot} unless it is what was posted last. */
  void report(KubernetesClient client, Snapshot snapshot) {
    PodStatus status = build(snapshot);
    String json = Serialization.asJson(status);
    if (json.equals(lastStatusJson)) {
      return;
    }
    String patch = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + json + "}]";
    Pod pod = snapshot.pod();
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON), patch);
      lastStatusJson = json;
      lastReady = readyOf(status);
    } catch (KubernetesClientException e) {
      log.warn("pod {}: status update failed: {}", key, e.getMessage());
    }
  }

  private static String readyOf(PodStatus status) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(PodCondition::getStatus)
        .findFirst()
        .orElse(null);
  }

  private PodStatus build(Snapshot s) {
    Map<String, ContainerRuntime> containers = s.containers();
    boolean allStarted =
        !containers.isEmpty() && containers.values().stream().allMatch(ContainerRuntime::isRunning)
            || containers.values().stream().anyMatch(c -> c.restartCount() > 0);
    boolean allReady =
        !containers.isEmpty() && containers.values().stream().allMatch(ContainerRuntime::isReady);
    PodStatusBuilder b =
        new PodStatusBuilder()
            .withPhase(s.prepared() && allStarted ? "Running" : "Pending")
            .withHostIP(s.nodeAddress())
            .withQosClass(
                Optional.ofNullable(s.pod().getStatus())
                    .map(PodStatus::getQosClass)
                    .orElse("BestEffort"));
    if (s.podIp() != null) {
      b.withPodIP(s.podIp())
          .withPodIPs(new PodIPBuilder().withIp(s.podIp()).build())
          .withStartTime(ContainerRuntime.ts(s.startTime()));
    }
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", true, null));
    conditions.add(condition("Initialized", true, null));
    conditions.add(condition("ContainersReady", allReady, allReady ? null : "ContainersNotReady"));
    conditions.add(condition("Ready", allReady, allReady ? null : "ContainersNotReady"));
    b.withConditions(conditions);
    if (s.pendingMessage() != null) {
      b.withMessage(s.pendingMessage()).withReason("ContainerCreating");
    }
    List<ContainerStatus> statuses = new ArrayList<>();
    for (Container c : s.pod().getSpec().getContainers()) {
      ContainerRuntime runtime = containers.get(c.getName());
      if (runtime != null) {
        statuses.add(runtime.status(c.getImage()));
      }
    }
    b.withContainerStatuses(statuses);
    return b.build();
  }

  private PodCondition condition(String type, boolean value, String reason) {
    String status = value ? "True" : "False";
    Instant since =
        conditionSince.compute(type + "=" + status, (k, v) -> v == null ? Instant.now() : v);
    conditionSince.remove(type + "=" + (value ? "False" : "True"));
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withLastTransitionTime(ContainerRuntime.ts(since))
        .build();
  }
}
