package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.readiness.Readiness;

/**
 * A pod counts as a ready endpoint as the Service machinery counts it: Ready and not terminating.
 */
public final class PodReadiness {
  private PodReadiness() {}

  public static boolean isReady(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && Readiness.isPodReady(pod);
  }
}
