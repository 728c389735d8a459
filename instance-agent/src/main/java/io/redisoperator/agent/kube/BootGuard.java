package io.redisoperator.agent.kube;

import io.redisoperator.agent.config.Endpoint;
import java.util.Optional;

/**
 * Pure: the boot-time split-brain guard. Only the pod the controller recorded as primary, or the
 * first pod of a brand-new cluster, may start writable; everyone else follows the recorded primary,
 * or waits without accepting writes when that cannot be known.
 */
public final class BootGuard {
  private BootGuard() {}

  /**
   * As {@link #decide(String, int, Optional, Endpoint, int)}, except that a plan that would start
   * writable holds instead when {@code mayTurnWritable} is false: the agent recently told the
   * controller its Redis could not take writes (dead, fenced, held), and the controller may still
   * fence this pod and promote another on that report after the API read this plan comes from. The
   * controller resolves the hold (unfence, promote), or a later read does once the report has
   * expired.
   */
  public static BootPlan decide(
      String podName,
      int ordinal,
      Optional<ClusterView> view,
      Endpoint previousReplicaOf,
      int redisPort,
      boolean mayTurnWritable) {
    BootPlan plan = decide(podName, ordinal, view, previousReplicaOf, redisPort);
    if (mayTurnWritable || plan.hold() || plan.replicaOf() != null || plan.fencedByStatus()) {
      return plan;
    }
    return new BootPlan(
        null,
        true,
        false,
        plan.reason() + "; held: Redis was recently reported unable to take writes");
  }

  /**
   * @param view the cluster as the API server reports it, empty when it could not be reached
   * @param previousReplicaOf whom this instance followed before (kept when nothing better is known)
   */
  public static BootPlan decide(
      String podName,
      int ordinal,
      Optional<ClusterView> view,
      Endpoint previousReplicaOf,
      int redisPort) {
    if (view.isEmpty()) {
      return new BootPlan(
          previousReplicaOf, previousReplicaOf == null, false, "API server unreachable");
    }
    ClusterView v = view.get();
    boolean fenced = v.fencedInstances().contains(podName);
    if (v.currentPrimary() == null) {
      boolean first = ordinal == 0;
      return new BootPlan(
          previousReplicaOf,
          !first && previousReplicaOf == null,
          fenced,
          first ? "new cluster, first instance" : "new cluster, waiting for the controller");
    }
    if (v.currentPrimary().equals(podName)) {
      return new BootPlan(null, false, fenced, "designated primary");
    }
    if (v.primaryPodIp() != null && !v.primaryPodIp().isBlank()) {
      return new BootPlan(
          new Endpoint(v.primaryPodIp(), redisPort),
          false,
          fenced,
          "replica of " + v.currentPrimary());
    }
    return new BootPlan(
        previousReplicaOf,
        previousReplicaOf == null,
        fenced,
        "primary " + v.currentPrimary() + " has no IP yet");
  }
}
