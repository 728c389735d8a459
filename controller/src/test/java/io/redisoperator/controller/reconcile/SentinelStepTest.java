package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.controller.sentinel.SentinelPodBuilder;
import io.redisoperator.controller.sentinel.SentinelServiceBuilder;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.Annotations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SentinelStepTest {
  private static final String OPERATOR_IMAGE = "redis-operator:test-operator";
  private static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");
  private final RedisCluster cluster = new RedisCluster();
  private final List<HasMetadata> owned = new ArrayList<>();

  SentinelStepTest() {
    cluster.getMetadata().setName("c");
    cluster.getMetadata().setNamespace("ns");
    cluster.getMetadata().setUid("uid-1");
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(3);
    spec.setMode(Mode.SENTINEL);
    cluster.setSpec(spec);
    RedisClusterStatus status = new RedisClusterStatus();
    status.setCurrentPrimary("c-0");
    cluster.setStatus(status);
    owned.add(ClusterSecrets.sentinelAuth(cluster));
  }

  @Test
  void generatesTheSentinelAdminPasswordOnce() {
    owned.removeIf(o -> o.getMetadata().getName().equals("c-sentinel-auth"));
    assertTrue(created(plan()).contains("c-sentinel-auth"));
    owned.add(ClusterSecrets.sentinelAuth(cluster));
    assertFalse(created(plan()).contains("c-sentinel-auth"));
    Pod pod = SentinelPodBuilder.build(cluster, 0, "c-operator-auth", OPERATOR_IMAGE);
    assertTrue(
        pod.getSpec().getVolumes().stream()
            .anyMatch(
                v ->
                    v.getProjected() != null
                        && v.getProjected()
                            .getSources()
                            .get(0)
                            .getSecret()
                            .getName()
                            .equals("c-sentinel-auth")));
  }

  private Plan plan() {
    ReconcileInput in =
        new ReconcileInput(
            cluster,
            OwnedObjects.of(owned.toArray(HasMetadata[]::new)),
            new ClusterObservation(
                cluster, Map.of(), io.redisoperator.controller.observation.UserFencing.NONE, NOW),
            Optional.of("7"),
            k -> false,
            OPERATOR_IMAGE);
    Plan plan = new Plan();
    new SentinelStep().plan(in, plan);
    return plan;
  }

  private Pod readySentinel(int n) {
    Pod pod = SentinelPodBuilder.build(cluster, n, "c-operator-auth", OPERATOR_IMAGE);
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP("10.0.1." + n)
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .build());
    owned.add(pod);
    return pod;
  }

  private static List<String> created(Plan plan) {
    return plan.actions().stream()
        .filter(Action.Create.class::isInstance)
        .map(a -> ((Action.Create) a).object().getMetadata().getName())
        .toList();
  }

  private static List<String> deleted(Plan plan) {
    return plan.actions().stream()
        .filter(Action.Delete.class::isInstance)
        .map(a -> ((Action.Delete) a).name())
        .toList();
  }

  @Test
  void createsThreeSentinelsAndTheServiceOnceAPrimaryIsRecorded() {
    Plan plan = plan();
    assertEquals(
        List.of("c-sentinel", "c-sentinel-0", "c-sentinel-1", "c-sentinel-2"), created(plan));
  }

  @Test
  void waitsForARecordedPrimaryButAlreadyOffersTheService() {
    cluster.getStatus().setCurrentPrimary(null);
    assertEquals(List.of("c-sentinel"), created(plan()));
  }

  @Test
  void doesNothingOnceEverythingIsInPlace() {
    owned.add(SentinelServiceBuilder.build(cluster));
    for (int n = 0; n < 3; n++) {
      readySentinel(n);
    }
    assertTrue(plan().actions().isEmpty(), plan().actions().toString());
  }

  @Test
  void deletesSentinelsAndServiceInStandaloneMode() {
    owned.add(SentinelServiceBuilder.build(cluster));
    readySentinel(0);
    readySentinel(1);
    cluster.getSpec().setMode(Mode.STANDALONE);
    Plan plan = plan();
    assertEquals(List.of("c-sentinel", "c-sentinel-0", "c-sentinel-1"), deleted(plan));
    assertTrue(created(plan).isEmpty());
  }

  @Test
  void deletesSentinelsWhileHibernatingButKeepsTheService() {
    owned.add(SentinelServiceBuilder.build(cluster));
    readySentinel(0);
    cluster.getMetadata().setAnnotations(Map.of(Annotations.HIBERNATION, "on"));
    Plan plan = plan();
    assertEquals(List.of("c-sentinel-0"), deleted(plan));
    assertTrue(created(plan).isEmpty());
  }

  @Test
  void replacesOneOutdatedSentinelAtATimeAndOnlyWhileAllAreReady() {
    owned.add(SentinelServiceBuilder.build(cluster));
    for (int n = 0; n < 3; n++) {
      readySentinel(n);
    }
    cluster.getSpec().setImageName("redis:7.2.5");
    assertEquals(List.of("c-sentinel-0"), deleted(plan()));

    // c-sentinel-0 is gone: wait for its replacement before touching another
    owned.removeIf(o -> o.getMetadata().getName().equals("c-sentinel-0"));
    Plan plan = plan();
    assertEquals(List.of("c-sentinel-0"), created(plan));
    assertTrue(deleted(plan).isEmpty());
  }

  @Test
  void recreatesAFailedSentinelAndRemovesStrays() {
    owned.add(SentinelServiceBuilder.build(cluster));
    readySentinel(0);
    readySentinel(1).getStatus().setPhase("Failed");
    readySentinel(2);
    Pod stray = SentinelPodBuilder.build(cluster, 7, "c-operator-auth", OPERATOR_IMAGE);
    owned.add(stray);
    assertEquals(List.of("c-sentinel-7", "c-sentinel-1"), deleted(plan()));
  }

  @Test
  void repairsADriftedServiceSelector() {
    Service service = SentinelServiceBuilder.build(cluster);
    service.getSpec().setSelector(Map.of("redis.io/cluster", "c"));
    owned.add(service);
    for (int n = 0; n < 3; n++) {
      readySentinel(n);
    }
    List<Action> actions = plan().actions();
    assertEquals(1, actions.size());
    assertTrue(
        actions.get(0) instanceof Action.Patch p && p.name().equals("c-sentinel"),
        actions.toString());
  }

  private Pod notReadySentinel(int n) {
    Pod pod = readySentinel(n);
    pod.getStatus().getConditions().get(0).setStatus("False");
    return pod;
  }

  private static Optional<Plan.ConditionUpdate> quorumCondition(Plan plan) {
    return plan.conditions().stream()
        .filter(c -> c.type() == ConditionType.SENTINEL_QUORUM)
        .findFirst();
  }

  private static List<Action.Emit> events(Plan plan) {
    return plan.actions().stream()
        .filter(Action.Emit.class::isInstance)
        .map(Action.Emit.class::cast)
        .toList();
  }

  private void previousQuorum(ConditionStatus status, ConditionReason reason) {
    cluster
        .getStatus()
        .setConditions(
            Conditions.set(null, ConditionType.SENTINEL_QUORUM, status, reason, "before", 1L, NOW));
  }

  @Test
  void reportsTheQuorumFromTheSentinelsReadiness() {
    readySentinel(0);
    readySentinel(1);
    Pod ready2 = readySentinel(2);
    Plan.ConditionUpdate all = quorumCondition(plan()).orElseThrow();
    assertEquals(ConditionStatus.TRUE, all.status());
    assertEquals(ConditionReason.SENTINELS_FOLLOW_PRIMARY, all.reason());

    notReadySentinel(2);
    owned.remove(ready2);
    Plan.ConditionUpdate lagging = quorumCondition(plan()).orElseThrow();
    assertEquals(ConditionStatus.TRUE, lagging.status());
    assertEquals(ConditionReason.SENTINELS_LAGGING, lagging.reason());
    assertTrue(lagging.message().contains("c-sentinel-2 (not ready)"), lagging.message());
  }

  @Test
  void startingSentinelsAreNotALostQuorumAndRaiseNoEvent() {
    Plan plan = plan();
    Plan.ConditionUpdate starting = quorumCondition(plan).orElseThrow();
    assertEquals(ConditionStatus.FALSE, starting.status());
    assertEquals(ConditionReason.SENTINELS_STARTING, starting.reason());
    assertTrue(events(plan).isEmpty());
  }

  @Test
  void losingTheQuorumIsAWarningEventOnceAndNeverADeletion() {
    previousQuorum(ConditionStatus.TRUE, ConditionReason.SENTINELS_FOLLOW_PRIMARY);
    readySentinel(0);
    notReadySentinel(1);
    notReadySentinel(2);
    Plan plan = plan();
    assertEquals(
        ConditionReason.SENTINEL_QUORUM_LOST, quorumCondition(plan).orElseThrow().reason());
    assertEquals(
        List.of(EventReason.SENTINEL_QUORUM_LOST),
        events(plan).stream().map(Action.Emit::reason).toList());
    assertTrue(events(plan).get(0).reason().warning());
    assertEquals(List.of(), deleted(plan), "sentinels that disagree are reported, not replaced");

    previousQuorum(ConditionStatus.FALSE, ConditionReason.SENTINEL_QUORUM_LOST);
    assertTrue(events(plan()).isEmpty(), "no event per pass while the quorum stays lost");

    owned.clear();
    readySentinel(0);
    readySentinel(1);
    notReadySentinel(2);
    Plan restored = plan();
    assertEquals(
        List.of(EventReason.SENTINEL_QUORUM_RESTORED),
        events(restored).stream().map(Action.Emit::reason).toList());
  }

  @Test
  void theConditionGoesInStandaloneMode() {
    previousQuorum(ConditionStatus.TRUE, ConditionReason.SENTINELS_FOLLOW_PRIMARY);
    cluster.getSpec().setMode(Mode.STANDALONE);
    assertEquals(List.of(ConditionType.SENTINEL_QUORUM), plan().droppedConditions());
  }
}
