package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.crd.Phase;

/**
 * Hibernation ({@code redis.io/hibernation: on}): every data pod is deleted, the PVCs and the
 * status (including the current primary) are kept, so waking up recreates the same primary on the
 * same data.
 */
public final class HibernationStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    if (!in.hibernating()) {
      return;
    }
    plan.phase(Phase.HIBERNATING, "pods deleted, data kept on the PVCs");
    for (Pod pod : DataPods.of(in)) {
      if (!DataPods.terminating(pod)) {
        plan.add(new Action.Delete(Pod.class, pod.getMetadata().getName(), "hibernating"));
      }
    }
    plan.stop();
  }
}
