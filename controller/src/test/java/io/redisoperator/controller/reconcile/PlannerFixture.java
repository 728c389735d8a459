package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.controller.resources.DesiredPodHashes;
import io.redisoperator.controller.resources.InstancePodBuilder;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Builds reconcile inputs for the pure planner tests: a cluster, running pods and what their agents
 * report.
 */
final class PlannerFixture {
  static final Instant NOW = Instant.parse("2026-11-24T02:00:00Z");
  static final String OPERATOR_IMAGE = "example.org/redis-operator:test";
  final RedisCluster cluster = new RedisCluster();
  final List<HasMetadata> owned = new ArrayList<>();
  final Map<String, PodReport> reports = new HashMap<>();
  final Set<String> recent = new java.util.HashSet<>();
  SwitchoverMemory switchover = SwitchoverMemory.NONE;
  final Set<String> cordoned = new java.util.HashSet<>();

  /** Held across the fixture's passes, as the cluster actor holds its own. */
  private final DesiredPodHashes desiredHashes = new DesiredPodHashes();

  PlannerFixture(int instances, String primary) {
    cluster.getMetadata().setName("c");
    cluster.getMetadata().setNamespace("ns");
    cluster.getMetadata().setGeneration(1L);
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(instances);
    cluster.setSpec(spec);
    RedisClusterStatus status = new RedisClusterStatus();
    status.setCurrentPrimary(primary);
    status.setTargetPrimary(primary);
    cluster.setStatus(status);
  }

  /**
   * A running, ready pod whose agent answers with the given role (replicas follow the primary's
   * IP).
   */
  Pod pod(int ordinal, InstanceRole role, String primaryIp) {
    Pod pod = InstancePodBuilder.build(cluster, ordinal, "c-operator-auth", OPERATOR_IMAGE);
    String ip = "10.0.0." + (ordinal + 1);
    pod.getMetadata()
        .getLabels()
        .put(Labels.ROLE, role == InstanceRole.PRIMARY ? Labels.ROLE_PRIMARY : Labels.ROLE_REPLICA);
    pod.getMetadata().setResourceVersion("1");
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .build());
    owned.add(pod);
    String name = pod.getMetadata().getName();
    boolean replica = role == InstanceRole.REPLICA;
    InstanceStatus status =
        InstanceStatus.builder(name)
            .role(role)
            .redisUp(true)
            .redisVersion("7.2.4")
            .masterReplId("replid")
            .replicationOffset(1000L)
            .masterHost(replica ? primaryIp : null)
            .masterPort(replica ? AgentApi.REDIS_PORT : null)
            .masterLinkUp(replica ? true : null)
            .masterLastIoSecondsAgo(replica ? 0L : -1L)
            .connectedReplicas(List.of())
            .configHash("h")
            .secretVersions(Map.of())
            .agentUptimeSeconds(10)
            .build();
    reports.put(name, new PodReport(name, ip, status, NOW, 0, PollFailure.NONE, NOW));
    return pod;
  }

  /** Changes what pod {@code name}'s agent reports, as of {@link #NOW}. */
  /**
   * {@code name}'s last answer, unchanged, as of {@code at} (a long-poll answered that long ago).
   */
  void answeredAt(String name, Instant at) {
    PodReport r = reports.get(name);
    reports.put(name, new PodReport(name, r.podIP(), r.status(), at, 0, PollFailure.NONE, at));
  }

  void report(String name, UnaryOperator<InstanceStatus.Builder> change) {
    PodReport r = reports.get(name);
    InstanceStatus changed = change.apply(r.status().toBuilder()).build();
    reports.put(name, new PodReport(name, r.podIP(), changed, NOW, 0, PollFailure.NONE, NOW));
  }

  ReconcileInput input() {
    return input(cluster);
  }

  /**
   * The input of a pass run on {@code inForce} (see {@link SpecInForce}), as the actor builds it.
   */
  ReconcileInput input(RedisCluster inForce) {
    List<Pod> pods = owned.stream().filter(Pod.class::isInstance).map(Pod.class::cast).toList();
    return new ReconcileInput(
        inForce,
        OwnedObjects.of(owned.toArray(HasMetadata[]::new)),
        ObservationAssembler.assemble(
            inForce, pods, reports, NOW, OPERATOR_IMAGE, Map.of(), null, desiredHashes),
        Optional.of("7"),
        recent::contains,
        OPERATOR_IMAGE,
        switchover,
        cordoned);
  }

  Plan plan(ReconcileStep step) {
    Plan plan = new Plan();
    step.plan(input(), plan);
    return plan;
  }
}
