package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.resources.InstancePodBuilder;
import io.redisoperator.controller.resources.InstancePvcBuilder;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.StorageType;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * PVCs and pods for ordinals {@code 0..instances-1} (plus the primary's, whatever its ordinal). The
 * primary comes first; replicas are created once it serves: its agent answers as primary, or, for a
 * cluster being created, its pod is Ready and addressed. Missing pods are recreated on their own
 * PVC, except a missing primary that has replicas able to take over: that is a failover, and its
 * pod comes back once another primary is recorded. Scale down removes the highest ordinal first,
 * one pod at a time, never the primary, then its PVC.
 */
public final class InstancesStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    String primary = in.durable().currentPrimary();
    if (primary == null) {
      return;
    }
    int primaryOrdinal = DataPods.ordinal(in, primary);
    Set<Integer> desired = new TreeSet<>();
    for (int i = 0; i < in.instances(); i++) {
      desired.add(i);
    }
    desired.add(primaryOrdinal);
    boolean usesPvc =
        in.cluster().getSpec().getStorage() == null
            || in.cluster().getSpec().getStorage().getType() != StorageType.EMPTY_DIR;
    String authSecret = ResourceNames.operatorAuthSecret(in.cluster().getMetadata().getName());

    if (usesPvc) {
      for (int ordinal : desired) {
        if (in.owned()
            .get(PersistentVolumeClaim.class, ResourceNames.pvcName(in.name(), ordinal))
            .isEmpty()) {
          plan.add(new Action.Create(InstancePvcBuilder.build(in.cluster(), ordinal)));
        }
      }
    }

    List<Pod> pods = DataPods.of(in);
    for (Pod pod : pods) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (!DataPods.terminating(pod) && ("Failed".equals(phase) || "Succeeded".equals(phase))) {
        plan.add(
            new Action.Delete(
                Pod.class, pod.getMetadata().getName(), "pod " + phase + ", it will be recreated"));
      }
    }

    if (in.owned().get(Pod.class, primary).isEmpty()) {
      boolean replicaCanTakeOver =
          in.observation().instances().keySet().stream()
              .filter(p -> !p.equals(primary) && !in.fenced(p))
              .anyMatch(p -> DataPods.answeringAs(in.instance(p), InstanceRole.REPLICA));
      // While a replica can take over, the old primary's pod waits for the failover to record the
      // new primary, so
      // that it boots as a replica instead of as the primary still named in status.
      if (!replicaCanTakeOver) {
        Pod created =
            InstancePodBuilder.build(in.cluster(), primaryOrdinal, authSecret, in.operatorImage());
        // Created with the label RoleLabelStep would patch on next: one write, not two.
        String role = RoleLabelStep.desiredRole(in, primary, primary, null);
        if (role != null) {
          created.getMetadata().getLabels().put(Labels.ROLE, role);
        }
        plan.add(new Action.Create(created));
        plan.phase(Phase.CREATING, "creating primary " + primary);
      }
    }

    // A new cluster's replicas need not wait for the controller to hear from its primary: its pod
    // Ready and addressed says it serves (DataPods.newPrimaryReady).
    if (DataPods.servingPrimary(in).isPresent() || DataPods.newPrimaryReady(in)) {
      // A cluster never Healthy yet is still being created: its replicas are part of that, not a
      // scale-up (which would show Scaling, then Degraded until Healthy: two more phase writes).
      Phase growing =
          StatusBuilder.beingCreated(in.cluster().getStatus()) ? Phase.CREATING : Phase.SCALING;
      for (int ordinal : desired) {
        String pod = ResourceNames.podName(in.name(), ordinal);
        if (ordinal != primaryOrdinal && in.owned().get(Pod.class, pod).isEmpty()) {
          Pod created =
              InstancePodBuilder.build(in.cluster(), ordinal, authSecret, in.operatorImage());
          // It boots as the recorded primary's replica: labelled so at once, not by a patch after
          // its first answer (its readiness still waits for the link, so no traffic before).
          String role = RoleLabelStep.desiredRole(in, pod, primary, Labels.ROLE_REPLICA);
          if (role != null) {
            created.getMetadata().getLabels().put(Labels.ROLE, role);
          }
          plan.add(new Action.Create(created));
          plan.phase(growing, "creating replica " + pod);
        }
      }
    }

    scaleDown(in, plan, pods, desired, usesPvc);
  }

  private static void scaleDown(
      ReconcileInput in, Plan plan, List<Pod> pods, Set<Integer> desired, boolean usesPvc) {
    List<Pod> extra =
        pods.stream()
            .filter(p -> !desired.contains(DataPods.ordinal(in, p.getMetadata().getName())))
            .sorted(
                Comparator.comparingInt((Pod p) -> DataPods.ordinal(in, p.getMetadata().getName()))
                    .reversed())
            .toList();
    if (!extra.isEmpty()) {
      plan.phase(Phase.SCALING, "scaling down to " + in.instances() + " instances");
      if (extra.stream().noneMatch(DataPods::terminating)) {
        Pod highest = extra.get(0);
        plan.add(
            new Action.Delete(
                Pod.class, highest.getMetadata().getName(), "scale down to " + in.instances()));
      }
    }
    if (usesPvc) {
      for (PersistentVolumeClaim pvc : in.owned().all(PersistentVolumeClaim.class)) {
        String name = pvc.getMetadata().getName();
        String prefix = in.name() + "-data-";
        if (!name.startsWith(prefix)) {
          continue;
        }
        int ordinal;
        try {
          ordinal = Integer.parseInt(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
          continue;
        }
        boolean podGone =
            in.owned().get(Pod.class, ResourceNames.podName(in.name(), ordinal)).isEmpty();
        if (!desired.contains(ordinal)
            && podGone
            && pvc.getMetadata().getDeletionTimestamp() == null) {
          plan.add(
              new Action.Delete(
                  PersistentVolumeClaim.class, name, "scale down to " + in.instances()));
        }
      }
    }
  }
}
