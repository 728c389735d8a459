package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;

final class PodReadiness {
  private PodReadiness() {}

  static boolean isReady(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
        && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
