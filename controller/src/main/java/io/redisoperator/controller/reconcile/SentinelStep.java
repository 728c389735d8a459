package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.redisoperator.controller.observation.PodReadiness;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.controller.sentinel.SentinelPodBuilder;
import io.redisoperator.controller.sentinel.SentinelQuorum;
import io.redisoperator.controller.sentinel.SentinelServiceBuilder;
import io.redisoperator.protocol.crd.Condition;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sentinel mode's pods and Service. The three sentinel pods exist only while the cluster is in
 * sentinel mode, awake, and has a recorded primary (the agents render their conf from it);
 * otherwise they are deleted. The Service exists exactly in sentinel mode. A sentinel pod whose
 * spec is outdated (image, resources, scheduling, auth Secret name) is replaced, one at a time and
 * only while the other two are ready, so clients always have sentinels to ask. Sentinel never
 * decides anything about the data pods, so none of this waits for or blocks the data-pod steps.
 *
 * <p>Must run before {@code HibernationStep}, which ends the pass.
 */
public final class SentinelStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    boolean sentinelMode = in.cluster().getSpec().getMode() == Mode.SENTINEL;
    planService(in, plan, sentinelMode);
    List<Pod> existing = sentinelPods(in);
    boolean wanted = sentinelMode && !in.hibernating() && in.durable().currentPrimary() != null;
    if (!wanted) {
      if (sentinelMode && !in.hibernating()) {
        plan.condition(
            ConditionType.SENTINEL_QUORUM,
            ConditionStatus.FALSE,
            ConditionReason.SENTINELS_STARTING,
            "no primary recorded yet: the sentinels start once there is one to monitor");
      } else {
        plan.dropCondition(ConditionType.SENTINEL_QUORUM);
      }
      String why =
          !sentinelMode
              ? "not in sentinel mode"
              : in.hibernating() ? "hibernating" : "no primary recorded";
      for (Pod pod : existing) {
        if (!terminating(pod)) {
          plan.add(new Action.Delete(Pod.class, pod.getMetadata().getName(), why));
        }
      }
      return;
    }
    Set<String> managed = new HashSet<>();
    for (int n = 0; n < SentinelPodBuilder.SENTINELS; n++) {
      managed.add(ResourceNames.sentinelPodName(in.name(), n));
    }
    for (Pod pod : existing) {
      if (!managed.contains(pod.getMetadata().getName()) && !terminating(pod)) {
        plan.add(
            new Action.Delete(
                Pod.class,
                pod.getMetadata().getName(),
                "not one of the " + SentinelPodBuilder.SENTINELS + " sentinels"));
      }
    }
    Secret admin = ClusterSecrets.sentinelAuth(in.cluster());
    if (in.owned().get(Secret.class, admin.getMetadata().getName()).isEmpty()) {
      plan.add(new Action.Create(admin));
    }
    String authSecret = ResourceNames.operatorAuthSecret(in.cluster().getMetadata().getName());
    boolean allSettled = true;
    for (int n = 0; n < SentinelPodBuilder.SENTINELS; n++) {
      String name = ResourceNames.sentinelPodName(in.name(), n);
      Optional<Pod> pod = in.owned().get(Pod.class, name);
      if (pod.isEmpty()) {
        plan.add(
            new Action.Create(
                SentinelPodBuilder.build(in.cluster(), n, authSecret, in.operatorImage())));
        allSettled = false;
      } else if (!terminating(pod.get()) && finished(pod.get())) {
        plan.add(
            new Action.Delete(
                Pod.class,
                name,
                "sentinel pod " + pod.get().getStatus().getPhase() + ", it will be recreated"));
        allSettled = false;
      } else if (terminating(pod.get()) || !PodReadiness.ready(pod.get())) {
        allSettled = false;
      }
    }
    reportQuorum(in, plan);
    if (allSettled) {
      replaceOneOutdated(in, plan, authSecret);
    }
  }

  /**
   * The {@code SentinelQuorum} condition, and an event when the quorum is lost or comes back
   * ({@link SentinelQuorum}).
   */
  private static void reportQuorum(ReconcileInput in, Plan plan) {
    SentinelQuorum quorum = SentinelQuorum.of(in.name(), name -> in.owned().get(Pod.class, name));
    Optional<Condition> previous =
        in.cluster().getStatus() == null
            ? Optional.empty()
            : Conditions.find(
                in.cluster().getStatus().getConditions(), ConditionType.SENTINEL_QUORUM);
    ConditionReason reason = quorum.reason(previous);
    String message = quorum.message(in.durable().currentPrimary());
    plan.condition(ConditionType.SENTINEL_QUORUM, ConditionStatus.of(quorum.ok()), reason, message);
    SentinelQuorum.transition(previous, reason)
        .ifPresent(t -> plan.add(new Action.Emit(t, message)));
  }

  private static void planService(ReconcileInput in, Plan plan, boolean sentinelMode) {
    String name = ResourceNames.sentinelService(in.name());
    Optional<Service> existing = in.owned().get(Service.class, name);
    if (!sentinelMode) {
      existing.ifPresent(
          s -> plan.add(new Action.Delete(Service.class, name, "not in sentinel mode")));
      return;
    }
    Service desired = SentinelServiceBuilder.build(in.cluster());
    if (existing.isEmpty()) {
      plan.add(new Action.Create(desired));
      return;
    }
    ServiceDrift.plan(plan, existing.get(), desired);
  }

  /**
   * At most one per pass, so two sentinels keep answering while the third restarts with the new
   * spec.
   */
  private static void replaceOneOutdated(ReconcileInput in, Plan plan, String authSecret) {
    for (int n = 0; n < SentinelPodBuilder.SENTINELS; n++) {
      String name = ResourceNames.sentinelPodName(in.name(), n);
      Pod pod = in.owned().get(Pod.class, name).orElseThrow();
      String hash =
          pod.getMetadata().getAnnotations() == null
              ? null
              : pod.getMetadata().getAnnotations().get(Annotations.POD_SPEC_HASH);
      if (!SentinelPodBuilder.desiredHash(in.cluster(), n, authSecret, in.operatorImage())
          .equals(hash)) {
        plan.add(new Action.Delete(Pod.class, name, "sentinel pod spec outdated"));
        return;
      }
    }
  }

  /** This cluster's sentinel pods: those its workload label marks as sentinels. */
  static List<Pod> sentinelPods(ReconcileInput in) {
    return in.owned().all(Pod.class).stream()
        .filter(p -> p.getMetadata().getLabels() != null)
        .filter(
            p -> Labels.WORKLOAD_SENTINEL.equals(p.getMetadata().getLabels().get(Labels.WORKLOAD)))
        .toList();
  }

  private static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }
}
