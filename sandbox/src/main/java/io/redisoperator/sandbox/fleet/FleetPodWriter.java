package io.redisoperator.sandbox.fleet;

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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the fleet writes to the API server about its pods, as a kubelet would: the Running/Ready
 * status once a pod is served, and the removal of a deleted pod's object. A failed write is logged,
 * not retried (the benchmark sees the pod stay unready or listed).
 */
final class FleetPodWriter {
  private static final Logger log = LoggerFactory.getLogger(FleetPodWriter.class);

  private final KubernetesClient client;
  private final String nodeIp;

  FleetPodWriter(KubernetesClient client, String nodeIp) {
    this.client = client;
    this.nodeIp = nodeIp;
  }

  /** The pod runs at {@code ip}, all its conditions true since now. */
  void writeRunning(Pod pod, String ip) {
    String now = Instant.now().toString();
    PodStatus status =
        new PodStatusBuilder()
            .withPhase("Running")
            .withHostIP(nodeIp)
            .withPodIP(ip)
            .withPodIPs(new PodIPBuilder().withIp(ip).build())
            .withStartTime(now)
            .withQosClass("BestEffort")
            .withConditions(
                condition("PodScheduled", now),
                condition("Initialized", now),
                condition("ContainersReady", now),
                condition("Ready", now))
            .build();
    String patch =
        "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + Serialization.asJson(status) + "}]";
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      log.warn(
          "pod {}/{}: status update failed: {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          e.getMessage());
    }
  }

  private static PodCondition condition(String type, String since) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withLastTransitionTime(since)
        .build();
  }

  /**
   * As the kubelet once the containers are gone: delete with grace 0, only this incarnation (uid
   * precondition).
   */
  void removeObject(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    try {
      client.raw(
          "/api/v1/namespaces/" + ns + "/pods/" + name,
          "DELETE",
          Map.of(
              "gracePeriodSeconds", 0, "preconditions", Map.of("uid", pod.getMetadata().getUid())));
    } catch (KubernetesClientException e) {
      log.debug("pod {}/{}: cannot remove the object: {}", ns, name, e.getMessage());
    }
  }
}
