package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.redisoperator.protocol.crd.Condition;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sentinel mode: sentinel pods deleted (one, then all three at once). Clients keep writing to the
 * primary they know; the controller recreates the pods, the new sentinels report the record, and
 * the survivors forget the dead ones. Losing all three is reported: the SentinelQuorum condition
 * and a Warning event, then a Normal one on its return.
 */
@Tag("chaos")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelPodsReplacedIT extends SentinelScenarioIT {
  @Override
  String scenario() {
    return "sentinel";
  }

  @Test
  @Order(1)
  void oneSentinelPodDeletedAndReplaced() {
    String victim = ResourceNames.sentinelPodName(CLUSTER, 1);
    Map<String, String> uids = uids();
    runFault(
        "one-sentinel-pod-deleted",
        () -> env.faults().forceDeletePod(NAMESPACE, victim),
        c -> dataPodsReady() && replacedAndReady(uids, Map.of(victim, true)));
  }

  @Test
  @Order(2)
  void allSentinelPodsDeletedAtOnce() {
    Map<String, String> uids = uids();
    Instant before = Instant.now().minusSeconds(1);
    runFault(
        "all-sentinel-pods-deleted",
        () -> uids.keySet().forEach(p -> env.faults().forceDeletePod(NAMESPACE, p)),
        c -> dataPodsReady() && replacedAndReady(uids, Map.of()),
        fault -> quorumReported(before));
  }

  /**
   * The lost quorum was reported (a Warning event, then a Normal one when it came back) and the
   * condition is True.
   */
  private List<String> quorumReported(Instant since) {
    return Invariants.eventually(
        Duration.ofSeconds(30),
        () -> {
          List<String> problems = new ArrayList<>();
          List<Event> events =
              cluster
                  .client()
                  .events()
                  .v1()
                  .events()
                  .inNamespace(NAMESPACE)
                  .list()
                  .getItems()
                  .stream()
                  .filter(
                      e -> e.getRegarding() != null && CLUSTER.equals(e.getRegarding().getName()))
                  .filter(
                      e ->
                          e.getEventTime() == null
                              || !Instant.parse(e.getEventTime().getTime()).isBefore(since))
                  .toList();
          if (events.stream()
              .noneMatch(
                  e ->
                      EventReason.SENTINEL_QUORUM_LOST.reason().equals(e.getReason())
                          && "Warning".equals(e.getType()))) {
            problems.add("no SentinelQuorumLost Warning event");
          }
          if (events.stream()
              .noneMatch(
                  e -> EventReason.SENTINEL_QUORUM_RESTORED.reason().equals(e.getReason()))) {
            problems.add("no SentinelQuorumRestored event");
          }
          Optional<Condition> quorum =
              Conditions.find(
                  cluster.get().getStatus().getConditions(), ConditionType.SENTINEL_QUORUM);
          if (quorum.isEmpty()
              || quorum.get().getStatus() != ConditionStatus.TRUE
              || quorum.get().getReason() != ConditionReason.SENTINELS_FOLLOW_PRIMARY) {
            problems.add("SentinelQuorum condition " + quorum.orElse(null));
          }
          return problems;
        });
  }

  private Map<String, String> uids() {
    Map<String, String> uids = new HashMap<>();
    sentinels.sentinelPods().forEach((name, pod) -> uids.put(name, pod.getMetadata().getUid()));
    return uids;
  }

  /** Three sentinel pods Ready; those in {@code only} (all when empty) are new pods. */
  private boolean replacedAndReady(Map<String, String> oldUids, Map<String, Boolean> only) {
    Map<String, Pod> pods = sentinels.sentinelPods();
    return pods.size() == SentinelChecks.SENTINELS
        && pods.values().stream()
            .allMatch(
                p -> {
                  String name = p.getMetadata().getName();
                  boolean mustBeNew = only.isEmpty() || only.containsKey(name);
                  return PodReadiness.isReady(p)
                      && (!mustBeNew || !p.getMetadata().getUid().equals(oldUids.get(name)));
                });
  }
}
