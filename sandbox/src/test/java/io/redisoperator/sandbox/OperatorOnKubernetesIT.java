package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.sandbox.controlplane.AuditLog;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator on the real control plane with the chart's RBAC, one cluster's life: Healthy; {@code
 * kubectl drain} of a node holding only a replica evicts it through the Eviction API within the
 * PodDisruptionBudgets and the cluster heals on the other nodes; deleting the RedisCluster lets the
 * controller-manager's garbage collector remove everything it owned; and until that deletion the
 * API server refused none of the operator's or the agents' requests (during it, the agents' Role
 * can go before their pods, as the garbage collector deletes dependents in no order).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorOnKubernetesIT extends SandboxIT {
  private static final String CLUSTER = "life";
  private static final String MANIFEST =
      String.join(
          "\n",
          "apiVersion: redis.io/v1",
          "kind: RedisCluster",
          // PVCs are owned (and so collected) only when the cluster asks for it.
          "metadata: {name: "
              + CLUSTER
              + ", namespace: default, annotations: {redis.io/delete-pvcs-on-delete: 'true'}}",
          "spec: {instances: 3, storage: {type: pvc, size: 1Gi}}");

  @Test
  @Order(1)
  void theClusterBecomesHealthyAcrossTheNodes() throws Exception {
    sandbox.startController();
    client
        .load(new ByteArrayInputStream(MANIFEST.getBytes(StandardCharsets.UTF_8)))
        .items()
        .forEach(object -> client.resource(object).create());
    ClusterWait.awaitHealthy(client, "default", CLUSTER, Duration.ofMinutes(4));
    assertTrue(
        dataPods().stream().allMatch(p -> Sandbox.NODE_NAMES.contains(p.getSpec().getNodeName())));
  }

  @Test
  @Order(2)
  void drainingANodeWithOnlyAReplicaEvictsItAndTheClusterHeals() throws Exception {
    Map<String, List<Pod>> byNode =
        dataPods().stream().collect(Collectors.groupingBy(p -> p.getSpec().getNodeName()));
    String node =
        byNode.entrySet().stream()
            .filter(
                e ->
                    e.getValue().stream()
                        .allMatch(
                            p ->
                                Labels.ROLE_REPLICA.equals(
                                    p.getMetadata().getLabels().get(Labels.ROLE))))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no node holds only replicas: " + byNode.keySet()));
    List<String> evicted = byNode.get(node).stream().map(p -> p.getMetadata().getName()).toList();
    String primary =
        client
            .resources(RedisCluster.class)
            .inNamespace("default")
            .withName(CLUSTER)
            .get()
            .getStatus()
            .getCurrentPrimary();

    Kubectl.Result drained =
        kubectl()
            .run("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=180s");
    assertEquals(0, drained.exitCode(), drained.output());
    assertTrue(drained.output().contains("evicted"), drained.output());

    ClusterWait.awaitHealthy(client, "default", CLUSTER, Duration.ofMinutes(4));
    for (String name : evicted) {
      Pod recreated = client.pods().inNamespace("default").withName(name).get();
      assertNotEquals(node, recreated.getSpec().getNodeName(), name + " runs elsewhere");
    }
    assertEquals(
        primary,
        client
            .resources(RedisCluster.class)
            .inNamespace("default")
            .withName(CLUSTER)
            .get()
            .getStatus()
            .getCurrentPrimary(),
        "draining a replica's node moves no primary");
    long evictions =
        Files.readAllLines(auditLog()).stream()
            .filter(l -> l.contains("\"subresource\":\"eviction\"") && l.contains("\"code\":201"))
            .count();
    assertTrue(evictions >= evicted.size(), "evictions through the Eviction API: " + evictions);
    kubectl().run("uncordon", node);
  }

  private static java.time.Instant deleted = java.time.Instant.MAX;

  @Test
  @Order(3)
  void deletingTheClusterLetsTheGarbageCollectorRemoveEverythingItOwned() {
    deleted = java.time.Instant.now();
    client.resources(RedisCluster.class).inNamespace("default").withName(CLUSTER).delete();
    java.util.concurrent.atomic.AtomicReference<List<String>> left =
        new java.util.concurrent.atomic.AtomicReference<>();
    try {
      TestPods.eventually(
          Duration.ofMinutes(2),
          () -> {
            left.set(owned());
            return left.get().isEmpty();
          },
          "every owned object collected");
    } catch (AssertionError e) {
      throw new AssertionError("left behind: " + left.get(), e);
    }
  }

  @Test
  @Order(4)
  void theApiServerRefusedNoRequestOfTheOperatorOrItsAgents() {
    List<AuditLog.Refusal> refused =
        new AuditLog(auditLog()).refusedWorkloadRequestsBefore(deleted);
    assertEquals(List.of(), refused);
  }

  private static List<Pod> dataPods() {
    return client
        .pods()
        .inNamespace("default")
        .withLabel(Labels.CLUSTER, CLUSTER)
        .withLabel(Labels.WORKLOAD, Labels.WORKLOAD_DATA)
        .list()
        .getItems();
  }

  /** Whatever still carries the cluster's label, by kind/name. */
  private static List<String> owned() {
    List<HasMetadata> objects = new java.util.ArrayList<>();
    objects.addAll(
        client.pods().inNamespace("default").withLabel(Labels.CLUSTER, CLUSTER).list().getItems());
    objects.addAll(
        client
            .services()
            .inNamespace("default")
            .withLabel(Labels.CLUSTER, CLUSTER)
            .list()
            .getItems());
    objects.addAll(
        client
            .secrets()
            .inNamespace("default")
            .withLabel(Labels.CLUSTER, CLUSTER)
            .list()
            .getItems());
    objects.addAll(
        client
            .configMaps()
            .inNamespace("default")
            .withLabel(Labels.CLUSTER, CLUSTER)
            .list()
            .getItems());
    objects.addAll(
        client
            .persistentVolumeClaims()
            .inNamespace("default")
            .withLabel(Labels.CLUSTER, CLUSTER)
            .list()
            .getItems());
    objects.addAll(
        client
            .policy()
            .v1()
            .podDisruptionBudget()
            .inNamespace("default")
            .withLabel(Labels.CLUSTER, CLUSTER)
            .list()
            .getItems());
    objects.addAll(
        client
            .rbac()
            .roles()
            .inNamespace("default")
            .withLabel(Labels.CLUSTER, CLUSTER)
            .list()
            .getItems());
    objects.addAll(
        client
            .rbac()
            .roleBindings()
            .inNamespace("default")
            .withLabel(Labels.CLUSTER, CLUSTER)
            .list()
            .getItems());
    objects.addAll(
        client
            .serviceAccounts()
            .inNamespace("default")
            .withLabel(Labels.CLUSTER, CLUSTER)
            .list()
            .getItems());
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }

  private static Path auditLog() {
    return sandbox.controlPlane().orElseThrow().auditLog();
  }

  private static Kubectl kubectl() {
    return new Kubectl(sandbox, Path.of("target", "operator-it.kubeconfig"));
  }

  /** The control plane's kubectl as the administrator. */
  record Kubectl(Sandbox sandbox, Path kubeconfig) {
    record Result(int exitCode, String output) {}

    Result run(String... args) throws Exception {
      Path config = sandbox.controlPlane().orElseThrow().admin().write(kubeconfig.toAbsolutePath());
      List<String> argv =
          new java.util.ArrayList<>(
              List.of(sandbox.controlPlane().orElseThrow().kubectl().toString()));
      argv.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
      pb.environment().put("KUBECONFIG", config.toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(240, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out);
      }
      System.out.println(
          "kubectl " + String.join(" ", args) + " -> " + p.exitValue() + ": " + out.trim());
      return new Result(p.exitValue(), out);
    }
  }
}
