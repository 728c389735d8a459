package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's side of node health on a real API server: registers each Node it serves (Ready,
 * with capacity and the labels the scheduler and anti-affinity use), renews the node's Lease in
 * {@code kube-node-lease} every {@value #LEASE_RENEW_SECONDS} s (the node lifecycle controller's
 * heartbeat) and refreshes the Ready condition every {@value #STATUS_SECONDS} s.
 */
public final class NodeRegistration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistration.class);
  static final String LEASE_NAMESPACE = "kube-node-lease";
  static final int LEASE_DURATION_SECONDS = 40;
  static final int LEASE_RENEW_SECONDS = 10;
  static final int STATUS_SECONDS = 30;

  private final KubernetesClient client;
  private final List<String> nodes;
  private final String address;
  private final Clock clock;
  private final Instant started;
  private final int maxPods;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kubelet-node-heartbeat");
            t.setDaemon(true);
            return t;
          });

  public NodeRegistration(
      KubernetesClient client, List<String> nodes, String address, Clock clock) {
    this(client, nodes, address, clock, 110);
  }

  /**
   * @param maxPods each node's pod capacity (the fleet's nodes hold thousands of simulated pods)
   */
  public NodeRegistration(
      KubernetesClient client, List<String> nodes, String address, Clock clock, int maxPods) {
    this.maxPods = maxPods;
    this.client = client;
    this.nodes = List.copyOf(nodes);
    this.address = address;
    this.clock = clock;
    this.started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  /** Registers the nodes (before pods can be scheduled) and starts the heartbeats. */
  public void start() {
    for (String node : nodes) {
      client.nodes().resource(node(node)).createOr(existing -> existing.patch());
      writeStatus(node);
      renewLease(node);
    }
    timer.scheduleWithFixedDelay(
        () -> nodes.forEach(this::renewLeaseSafely),
        LEASE_RENEW_SECONDS,
        LEASE_RENEW_SECONDS,
        TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(
        () -> nodes.forEach(this::writeStatusSafely),
        STATUS_SECONDS,
        STATUS_SECONDS,
        TimeUnit.SECONDS);
    log.info("nodes {} registered at {}", nodes, address);
  }

  public List<String> nodes() {
    return nodes;
  }

  private Node node(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(
            Map.of(
                "kubernetes.io/hostname",
                name,
                "kubernetes.io/os",
                "linux",
                "kubernetes.io/arch",
                "amd64",
                "node.kubernetes.io/instance-type",
                "sandbox"))
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .build();
  }

  private void writeStatusSafely(String node) {
    try {
      writeStatus(node);
    } catch (KubernetesClientException e) {
      log.warn("node {}: status update failed: {}", node, e.getMessage());
    }
  }

  private void writeStatus(String node) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Map<String, Quantity> capacity =
        Map.of(
            "cpu",
            new Quantity("8"),
            "memory",
            new Quantity("16Gi"),
            "pods",
            new Quantity(Integer.toString(maxPods)),
            "ephemeral-storage",
            new Quantity("100Gi"));
    NodeStatus status =
        new NodeStatusBuilder()
            .withCapacity(capacity)
            .withAllocatable(capacity)
            .withConditions(
                condition(
                    "Ready",
                    "True",
                    "KubeletReady",
                    "sandbox kubelet is posting ready status",
                    now),
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "", now),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "", now),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "", now))
            .addNewAddress()
            .withType("InternalIP")
            .withAddress(address)
            .endAddress()
            .addNewAddress()
            .withType("Hostname")
            .withAddress(node)
            .endAddress()
            .withNewNodeInfo()
            .withKubeletVersion("sandbox")
            .withOperatingSystem("linux")
            .withArchitecture("amd64")
            .withContainerRuntimeVersion("sandbox://process")
            .withKernelVersion("")
            .withOsImage("sandbox")
            .withKubeProxyVersion("")
            .withMachineID(node)
            .withSystemUUID(node)
            .withBootID(started.toString())
            .endNodeInfo()
            .build();
    String patch = "{\"status\":" + Serialization.asJson(status) + "}";
    client
        .nodes()
        .withName(node)
        .subresource("status")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
  }

  private NodeCondition condition(
      String type, String status, String reason, String message, Instant now) {
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(now.toString())
        .withLastTransitionTime(started.toString())
        .build();
  }

  private void renewLeaseSafely(String node) {
    try {
      renewLease(node);
    } catch (KubernetesClientException e) {
      log.warn("node {}: lease renewal failed: {}", node, e.getMessage());
    }
  }

  private void renewLease(String node) {
    java.time.ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(node)
            .withNamespace(LEASE_NAMESPACE)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(node)
            .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
            .withRenewTime(now)
            .endSpec()
            .build();
    client
        .leases()
        .inNamespace(LEASE_NAMESPACE)
        .resource(lease)
        .createOr(
            existing ->
                existing.edit(
                    l -> {
                      l.getSpec().setRenewTime(now);
                      return l;
                    }));
  }

  /** Stops the heartbeats; the Node objects stay (the control plane goes away with the sandbox). */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
