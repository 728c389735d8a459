package io.redisoperator.sandbox.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the fleet writes to the API server about its pods, as a kubelet would: a served pod's status
 * (see {@link PodStatusSync} for when), and the removal of a deleted pod's object.
 */
final class FleetPodWriter {
  private static final Logger log = LoggerFactory.getLogger(FleetPodWriter.class);

  private final KubernetesClient client;

  FleetPodWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Replaces the whole status, whatever it holds (the first status of a served pod). */
  Pod writeStatus(Pod pod, PodStatus status) {
    String patch =
        "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + Serialization.asJson(status) + "}]";
    return client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), patch);
  }

  /**
   * Replaces the status of the version {@code seen} (its resourceVersion): a 409 when another
   * writer changed the pod since.
   */
  Pod replaceStatus(Pod seen, PodStatus status) {
    return client
        .pods()
        .inNamespace(seen.getMetadata().getNamespace())
        .resource(new PodBuilder(seen).withStatus(status).build())
        .updateStatus();
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
