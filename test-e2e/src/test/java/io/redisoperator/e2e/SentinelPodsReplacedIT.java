package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sentinel mode: sentinel pods deleted (one, then all three at once). Clients keep writing to the primary they know;
 * the controller recreates the pods, the new sentinels report the record, and the survivors forget the dead ones.
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
    runFault("one-sentinel-pod-deleted", () -> env.faults().forceDeletePod(NAMESPACE, victim),
        c -> dataPodsReady() && replacedAndReady(uids, Map.of(victim, true)));
  }

  @Test
  @Order(2)
  void allSentinelPodsDeletedAtOnce() {
    Map<String, String> uids = uids();
    runFault("all-sentinel-pods-deleted", () -> uids.keySet().forEach(p -> env.faults().forceDeletePod(NAMESPACE, p)),
        c -> dataPodsReady() && replacedAndReady(uids, Map.of()));
  }

  private Map<String, String> uids() {
    Map<String, String> uids = new HashMap<>();
    sentinels.sentinelPods().forEach((name, pod) -> uids.put(name, pod.getMetadata().getUid()));
    return uids;
  }

  /** Three sentinel pods Ready; those in {@code only} (all when empty) are new pods. */
  private boolean replacedAndReady(Map<String, String> oldUids, Map<String, Boolean> only) {
    Map<String, Pod> pods = sentinels.sentinelPods();
    return pods.size() == SentinelChecks.SENTINELS && pods.values().stream().allMatch(p -> {
      String name = p.getMetadata().getName();
      boolean mustBeNew = only.isEmpty() || only.containsKey(name);
      return PodReadiness.isReady(p) && (!mustBeNew || !p.getMetadata().getUid().equals(oldUids.get(name)));
    });
  }
}
