package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A restarted controller (or a restarted cluster actor) confirms the recorded status before it
 * rewrites it. Until every data pod the status lists has been heard from once by this actor ({@link
 * #heardFrom}), a pass builds the status from missing reports: phase Degraded, roles unknown, which
 * the first answers flip straight back. Such a write is held; a decision and a change of {@code
 * unreachableInstances} (the promotion gate counts from that record) never are, so failover
 * detection is not delayed. Pure.
 */
final class FirstReports {
  /**
   * Past this since the actor began observing, nothing is held: a pod that never reports (no
   * poller, no place for its first connection) does not freeze the status for good.
   */
  static final Duration MAX_HOLD = Duration.ofMinutes(5);

  private FirstReports() {}

  /**
   * Whether {@code desired} waits: some data pod {@code recorded} lists, with an address, has not
   * reported to this actor yet, and the write records no decision and leaves the unreachable record
   * as it is.
   */
  static boolean holdsWrite(
      List<Pod> pods,
      Set<String> heardFrom,
      RedisClusterStatus recorded,
      RedisClusterStatus desired,
      boolean decision,
      Instant observingSince,
      Instant now) {
    if (decision
        || recorded == null
        || recorded.getInstancesStatus() == null
        || !now.isBefore(observingSince.plus(MAX_HOLD))
        || !Objects.equals(
            unreachable(recorded), desired == null ? List.of() : unreachable(desired))) {
      return false;
    }
    return !notYetReported(pods, heardFrom, recorded).isEmpty();
  }

  /**
   * The data pods with an address that {@code recorded} lists and that this actor has not heard
   * from yet ({@code heardFrom}: {@link PodReports#heardFrom}) (its first contact with them is
   * still to come; see {@link PassPacing}).
   */
  static Set<String> notYetReported(
      List<Pod> pods, Set<String> heardFrom, RedisClusterStatus recorded) {
    if (recorded == null || recorded.getInstancesStatus() == null) {
      return Set.of();
    }
    return pods.stream()
        .filter(FirstReports::dataPodWithAddress)
        .map(p -> p.getMetadata().getName())
        .filter(
            name -> recorded.getInstancesStatus().containsKey(name) && !heardFrom.contains(name))
        .collect(Collectors.toSet());
  }

  /**
   * Whether {@code report} (null: none yet) says something the status may record for good: the
   * agent answered (once at least, even with an error status), or refused the connection (nothing
   * listens: its process is gone). A timed-out or overdue first poll proves nothing: on a
   * controller busy with its first contacts the answer is often only late, and the status written
   * meanwhile (the pod not ready, its role unknown) would flip back when it arrives.
   */
  static boolean heardFrom(PodReport report) {
    return report != null
        && (report.lastSeen() != null
            || report.lastFailure() == PollFailure.CONNECTION_REFUSED
            || report.lastFailure() == PollFailure.HTTP_ERROR);
  }

  private static boolean dataPodWithAddress(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null
        && Labels.WORKLOAD_DATA.equals(labels.get(Labels.WORKLOAD))
        && pod.getStatus() != null
        && pod.getStatus().getPodIP() != null;
  }

  private static List<String> unreachable(RedisClusterStatus status) {
    return status.getUnreachableInstances() == null ? List.of() : status.getUnreachableInstances();
  }
}
