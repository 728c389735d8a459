package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodReadiness;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Small questions the steps ask about data pods and their observations. */
final class DataPods {
  private DataPods() {}

  static List<Pod> of(ReconcileInput in) {
    return in.owned().all(Pod.class).stream()
        .filter(p -> Labels.WORKLOAD_DATA.equals(labels(p).get(Labels.WORKLOAD)))
        .filter(p -> ResourceNames.ordinalOf(in.name(), p.getMetadata().getName()).isPresent())
        .toList();
  }

  static Map<String, String> labels(Pod pod) {
    return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
  }

  static int ordinal(ReconcileInput in, String pod) {
    OptionalInt ordinal = ResourceNames.ordinalOf(in.name(), pod);
    return ordinal.isPresent() ? ordinal.getAsInt() : -1;
  }

  static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** The agent answered its last poll and reports this role. */
  static boolean answeringAs(Optional<InstanceObservation> observation, InstanceRole role) {
    return observation.isPresent()
        && observation.get().answering()
        && observation.get().lastStatus().role() == role;
  }

  /**
   * Up for reporting purposes: Redis was up at the last answer and fewer polls than the failure
   * threshold have failed since, so a single slow poll does not flip the status back and forth.
   */
  static boolean reportedUp(ReconcileInput in, Optional<InstanceObservation> observation) {
    if (observation.isEmpty()
        || observation.get().lastStatus() == null
        || !observation.get().lastStatus().redisUp()) {
      return false;
    }
    var failover = in.cluster().getSpec().getFailover();
    int threshold = failover == null ? 3 : failover.failureThresholdOrDefault();
    return observation.get().consecutiveFailures() < threshold;
  }

  /**
   * The current primary's agent answers as primary and the pod has an address: replicas can follow
   * it.
   */
  static Optional<InstanceObservation> servingPrimary(ReconcileInput in) {
    String primary = in.durable().currentPrimary();
    if (primary == null || in.fenced(primary)) {
      return Optional.empty();
    }
    Optional<InstanceObservation> observation = in.instance(primary);
    return answeringAs(observation, InstanceRole.PRIMARY) && observation.get().podIP() != null
        ? observation
        : Optional.empty();
  }

  /**
   * A cluster being created whose recorded primary's pod the kubelet reports Ready and addressed,
   * its agent not answering in another role: its Redis answers the readiness probe as primary (a
   * designated primary boots writable, {@code BootGuard}), so replicas can follow it before the
   * controller's own first poll of it, which a start-up of many clusters queues behind every other
   * pod's first contact. A replica created then boots as a replica of that address, which its agent
   * reads from the API server; nothing the failover judges changes (see InstancesStep).
   */
  static boolean newPrimaryReady(ReconcileInput in) {
    String primary = in.durable().currentPrimary();
    if (primary == null
        || in.fenced(primary)
        || !StatusBuilder.beingCreated(in.cluster().getStatus())) {
      return false;
    }
    Optional<Pod> pod = in.owned().get(Pod.class, primary);
    Optional<InstanceObservation> observation = in.instance(primary);
    boolean otherRole =
        observation.isPresent()
            && observation.get().answering()
            && observation.get().lastStatus().role() != InstanceRole.PRIMARY;
    return pod.isPresent()
        && !terminating(pod.get())
        && pod.get().getStatus() != null
        && pod.get().getStatus().getPodIP() != null
        && PodReadiness.ready(pod.get())
        && !otherRole;
  }
}
