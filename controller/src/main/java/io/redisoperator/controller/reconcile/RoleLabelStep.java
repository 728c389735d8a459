package io.redisoperator.controller.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.Labels;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the {@code redis.io/role} label true, since the Services route by it: {@code primary} only
 * on the recorded current primary while it is not fenced, {@code replica} on pods whose agent
 * reports the replica role, no label on anything else (a fenced pod, a stale primary). A pod
 * already labelled replica keeps the label until its agent has been heard from, so that a restarted
 * operator does not empty the -replica Service before its first poll (routing also needs readiness,
 * so a dead pod gets no traffic either way); {@link InstancesStep} creates the pods with the label
 * this step would patch on next (a replica's readiness waits for its link to the primary).
 */
public final class RoleLabelStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    String primary = in.durable().currentPrimary();
    for (Pod pod : DataPods.of(in)) {
      if (DataPods.terminating(pod)) {
        continue;
      }
      String name = pod.getMetadata().getName();
      String current = DataPods.labels(pod).get(Labels.ROLE);
      String desired = desiredRole(in, name, primary, current);
      if (!Objects.equals(desired, current)) {
        plan.add(
            new Action.Patch(
                Pod.class, name, rolePatch(desired), "role " + current + " -> " + desired));
      }
    }
  }

  static String desiredRole(ReconcileInput in, String pod, String primary, String current) {
    if (in.fenced(pod)) {
      return null;
    }
    if (pod.equals(primary)) {
      return Labels.ROLE_PRIMARY;
    }
    Optional<InstanceObservation> observation = in.instance(pod);
    boolean heardFrom = observation.isPresent() && observation.get().lastStatus() != null;
    if (!heardFrom) {
      return Labels.ROLE_REPLICA.equals(current) ? Labels.ROLE_REPLICA : null;
    }
    return observation.get().lastStatus().role() == InstanceRole.REPLICA
        ? Labels.ROLE_REPLICA
        : null;
  }

  /** A merge patch setting the label, or removing it when {@code role} is null. */
  static String rolePatch(String role) {
    ObjectNode patch = Json.mapper().createObjectNode();
    ObjectNode labels = patch.putObject("metadata").putObject("labels");
    if (role == null) {
      labels.putNull(Labels.ROLE);
    } else {
      labels.put(Labels.ROLE, role);
    }
    return patch.toString();
  }
}
