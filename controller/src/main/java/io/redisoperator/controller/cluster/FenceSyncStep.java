package io.redisoperator.controller.cluster;

import io.redisoperator.controller.observation.InstanceObservation;

/**
 * Makes each agent's fence match what is wanted: fenced while the operator (status) or a human (annotation) fences
 * the pod, unfenced otherwise. Only agents that answer are told; the request is not repeated while its effect may not
 * have shown in a poll yet.
 */
public final class FenceSyncStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    for (InstanceObservation o : in.observation().instances().values()) {
      if (o.podIP() == null || o.lastStatus() == null || o.consecutiveFailures() > 0) {
        continue;
      }
      boolean wanted = in.fenced(o.podName());
      boolean fenced = o.lastStatus().fenced();
      if (wanted && !fenced) {
        String key = ReconcileInput.opKey("fence", o.podName(), o.podIP());
        if (!in.recentlyRequested().test(key)) {
          String why = in.durable().isFenced(o.podName()) ? "fenced by the operator" : "fenced by annotation";
          plan.add(new Action.Fence(o.podName(), o.podIP(), why));
        }
      } else if (!wanted && fenced) {
        String key = ReconcileInput.opKey("unfence", o.podName(), o.podIP());
        if (!in.recentlyRequested().test(key)) {
          plan.add(new Action.Unfence(o.podName(), o.podIP()));
        }
      }
    }
  }
}
