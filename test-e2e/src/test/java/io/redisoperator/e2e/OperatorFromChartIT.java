package io.redisoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.redisoperator.sandbox.operator.ChartInstall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator as users install it: {@code helm install} of charts/redis-operator into the
 * sandbox's real API server, the controller running as the chart Deployment's pods (two replicas,
 * one leading), with the chart's ServiceAccount and RBAC only. It is installed as a team would
 * install it for its own namespace ({@code watchNamespaces}), so its rights are namespaced Roles
 * and the only cluster-wide rule left is reading Nodes. A RedisCluster is created through it, its
 * primary pod force-deleted, and the failover must complete with no request of the operator or an
 * agent refused; then the leading operator pod is deleted and the standby takes over while the
 * Deployment replaces the pod.
 */
@Tag("ci")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorFromChartIT extends ScenarioIT {
  private static final String LEASE = "redis-operator-leader";

  @Override
  String scenario() {
    return "operator-from-chart";
  }

  @Override
  ClusterEnvironment startEnvironment(EnvironmentKind kind) {
    return kind == EnvironmentKind.SANDBOX
        ? SandboxEnvironment.startFromChart(
            scenario(), Map.of("watchNamespaces", "{" + NAMESPACE + "}"))
        : kind.start(scenario());
  }

  @Test
  @Order(1)
  void theControllerRunsAsTheChartDeploymentsPods() {
    List<Pod> pods = operatorPods();
    assertEquals(2, pods.size(), "the chart's two replicas");
    for (Pod pod : pods) {
      assertEquals("redis-operator", pod.getSpec().getServiceAccountName());
      Container controller = pod.getSpec().getContainers().get(0);
      assertTrue(
          controller.getCommand() == null || controller.getCommand().isEmpty(),
          "the chart names no command: the image's entrypoint runs");
      assertEquals("controller", controller.getArgs().get(0));
      assertTrue(
          PodReadiness.isReady(pod), pod.getMetadata().getName() + " Ready (its /readyz probe)");
    }
    Lease lease = env.client().leases().inNamespace(ChartInstall.NAMESPACE).withName(LEASE).get();
    assertNotNull(lease, "the leader Lease in the release namespace");
    String holder = lease.getSpec().getHolderIdentity();
    assertTrue(
        pods.stream().anyMatch(p -> holder.startsWith(p.getMetadata().getName() + "-")),
        "the Lease is held by one of the chart's pods (its POD_NAME), not " + holder);
  }

  @Test
  @Order(2)
  void itsRightsStopAtTheWatchedNamespace() {
    String operator = "system:serviceaccount:" + ChartInstall.NAMESPACE + ":redis-operator";
    assertTrue(allowed(operator, NAMESPACE, "pods", "list"), "lists pods where it watches");
    assertTrue(allowed(operator, NAMESPACE, "secrets", "create"), "creates Secrets there");
    assertTrue(allowed(operator, null, "nodes", "watch"), "watches Nodes (cluster-scoped)");
    assertTrue(
        allowed(operator, ChartInstall.NAMESPACE, "leases", "update"),
        "renews its Lease in the release namespace");
    assertFalse(allowed(operator, "kube-system", "secrets", "get"), "no Secret outside");
    assertFalse(allowed(operator, "kube-system", "pods", "list"), "no pod outside");
    assertFalse(allowed(operator, null, "pods", "list"), "no cluster-wide pod list");
  }

  @Test
  @Order(3)
  void aFailoverThroughTheInstalledOperator() {
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    String oldUid = cluster.pods().get(initialPrimary).getMetadata().getUid();
    long fault = System.nanoTime();
    env.faults().forceDeletePod(NAMESPACE, initialPrimary);
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c ->
                !initialPrimary.equals(c.getStatus().getCurrentPrimary())
                    && recreatedAndAllReady(initialPrimary, oldUid),
            Duration.ofMinutes(3));
    finish(fault, recovery, writer, List.of(), false);
  }

  @Test
  @Order(4)
  void theStandbyTakesOverWhenTheLeadingPodIsDeleted() {
    String holder =
        env.client()
            .leases()
            .inNamespace(ChartInstall.NAMESPACE)
            .withName(LEASE)
            .get()
            .getSpec()
            .getHolderIdentity();
    Pod leader =
        operatorPods().stream()
            .filter(p -> holder.startsWith(p.getMetadata().getName() + "-"))
            .findFirst()
            .orElseThrow();
    String primaryBefore = cluster.get().getStatus().getCurrentPrimary();
    env.client().pods().resource(leader).delete();
    assertTrue(
        pollUntil(
            () -> {
              Lease lease =
                  env.client().leases().inNamespace(ChartInstall.NAMESPACE).withName(LEASE).get();
              String now = lease.getSpec().getHolderIdentity();
              return now != null && !now.startsWith(leader.getMetadata().getName() + "-");
            },
            Duration.ofMinutes(1)),
        "another pod holds the Lease");
    assertTrue(
        pollUntil(
            () -> {
              List<Pod> pods = operatorPods();
              return pods.size() == 2
                  && pods.stream().allMatch(PodReadiness::isReady)
                  && pods.stream()
                      .noneMatch(
                          p -> p.getMetadata().getName().equals(leader.getMetadata().getName()));
            },
            Duration.ofMinutes(2)),
        "the Deployment replaced the deleted pod and both are Ready");
    // The new leader takes over the cluster as it is: no failover, and it still answers writes.
    cluster.await(io.redisoperator.sandbox.operator.ClusterWait::isHealthy, Duration.ofMinutes(1));
    assertEquals(primaryBefore, cluster.get().getStatus().getCurrentPrimary());
    try (var c = cluster.connect(cluster.leader())) {
      assertEquals("OK", c.sync().set("after-operator-handover", "1"));
    }
    List<String> refused = env.refusedWorkloadRequests();
    assertTrue(
        refused.isEmpty(),
        refused.size()
            + " API requests refused, first: "
            + (refused.isEmpty() ? "" : refused.get(0)));
  }

  /** The API server's own authorization decision (a SubjectAccessReview). */
  private boolean allowed(String user, String namespace, String resource, String verb) {
    String group = "leases".equals(resource) ? "coordination.k8s.io" : "";
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser(user)
            .withNewResourceAttributes()
            .withNamespace(namespace)
            .withGroup(group)
            .withResource(resource)
            .withVerb(verb)
            .endResourceAttributes()
            .endSpec()
            .build();
    return env.client()
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }

  private List<Pod> operatorPods() {
    return env
        .client()
        .pods()
        .inNamespace(ChartInstall.NAMESPACE)
        .withLabels(Map.of("app.kubernetes.io/name", "redis-operator"))
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private boolean recreatedAndAllReady(String pod, String oldUid) {
    Map<String, Pod> pods = cluster.pods();
    Pod recreated = pods.get(pod);
    return pods.size() == INSTANCES
        && recreated != null
        && !oldUid.equals(recreated.getMetadata().getUid())
        && pods.values().stream().allMatch(PodReadiness::isReady);
  }
}
