package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.controller.observation.PodReadiness;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.observation.UserFencing;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.controller.resources.DesiredPodHashes;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Joins the informer's pods with the pod actors' latest reports into the observation the planners
 * read. Expected instances without a pod (ordinals below spec.instances and the recorded primary)
 * appear as {@link PodPhase#MISSING}, with the outcome of the polls of their last address.
 */
public final class ObservationAssembler {
  private ObservationAssembler() {}

  /**
   * @param warnedSince when the actor first saw each of the recorded fences and unreachable records
   *     (see {@link ClusterObservation})
   * @param observingSince when the cluster actor started (see {@link ClusterObservation})
   * @param desiredHashes the cluster actor's memo of its pods' desired spec hashes: the one it
   *     holds, never a fresh one (that would hash every pod's spec on every pass)
   */
  public static ClusterObservation assemble(
      RedisCluster cluster,
      List<Pod> pods,
      Map<String, PodReport> reports,
      Instant now,
      String operatorImage,
      Map<String, Instant> warnedSince,
      Instant observingSince,
      DesiredPodHashes desiredHashes) {
    String name = cluster.getMetadata().getName();
    String authSecret = ResourceNames.operatorAuthSecret(cluster.getMetadata().getName());
    IntFunction<String> desiredHash = desiredHashes.forInputs(cluster, authSecret, operatorImage);
    Map<String, InstanceObservation> instances = new TreeMap<>();
    for (Pod pod : pods) {
      String podName = pod.getMetadata().getName();
      OptionalInt ordinal = ResourceNames.ordinalOf(name, podName);
      Map<String, String> labels =
          pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
      if (ordinal.isEmpty() || !Labels.WORKLOAD_DATA.equals(labels.get(Labels.WORKLOAD))) {
        continue;
      }
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      PodReport report = reports.get(podName);
      boolean reportCurrent = report != null && ip != null && Objects.equals(report.podIP(), ip);
      String hash =
          pod.getMetadata().getAnnotations() == null
              ? null
              : pod.getMetadata().getAnnotations().get(Annotations.POD_SPEC_HASH);
      instances.put(
          podName,
          new InstanceObservation(
              podName,
              ordinal.getAsInt(),
              phase(pod),
              PodReadiness.ready(pod),
              ip,
              reportCurrent ? report.status() : null,
              reportCurrent ? report.lastSeen() : null,
              reportCurrent ? report.consecutiveFailures() : 0,
              reportCurrent
                  ? report.lastFailure()
                  : ip == null ? PollFailure.NO_ADDRESS : PollFailure.NONE,
              Objects.equals(hash, desiredHash.apply(ordinal.getAsInt())),
              reportCurrent ? report.unansweredSince() : null,
              reportCurrent ? report.redisUnansweredPolls() : 0));
    }
    Set<Integer> expected = new LinkedHashSet<>();
    for (int i = 0; i < cluster.getSpec().getInstances(); i++) {
      expected.add(i);
    }
    if (cluster.getStatus() != null && cluster.getStatus().getCurrentPrimary() != null) {
      ResourceNames.ordinalOf(name, cluster.getStatus().getCurrentPrimary())
          .ifPresent(expected::add);
    }
    for (int ordinal : expected) {
      String podName = ResourceNames.podName(name, ordinal);
      instances.computeIfAbsent(
          podName,
          p -> {
            PodReport last = reports.get(p);
            if (last == null || last.podIP() == null) {
              return new InstanceObservation(
                  p,
                  ordinal,
                  PodPhase.MISSING,
                  false,
                  null,
                  null,
                  last == null ? null : last.lastSeen(),
                  0,
                  PollFailure.NO_ADDRESS,
                  false);
            }
            // A deleted pod's last address is still polled: a refused connection there proves its
            // processes are
            // gone, silence does not. Its last answer is history, not a live agent, so it is left
            // out.
            return new InstanceObservation(
                p,
                ordinal,
                PodPhase.MISSING,
                false,
                last.podIP(),
                null,
                last.lastSeen(),
                last.consecutiveFailures(),
                last.lastFailure(),
                false,
                last.unansweredSince(),
                0);
          });
    }
    return new ClusterObservation(
        cluster, instances, userFencing(cluster), now, warnedSince, observingSince);
  }

  static PodPhase phase(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return PodPhase.TERMINATING;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Running".equals(phase)) {
      return PodPhase.RUNNING;
    }
    if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
      return PodPhase.FAILED;
    }
    return PodPhase.PENDING;
  }

  /** The human fencing annotation (see {@link UserFencing}). */
  public static UserFencing userFencing(RedisCluster cluster) {
    Map<String, String> annotations = cluster.getMetadata().getAnnotations();
    return UserFencing.parse(
        cluster.getMetadata().getName(),
        annotations == null ? null : annotations.get(Annotations.FENCED_INSTANCES));
  }
}
