package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's side of node health on a real API server: registers each Node it serves (Ready,
 * with capacity and the labels the scheduler and anti-affinity use), renews the node's Lease in
 * {@code kube-node-lease} every {@link #LEASE_RENEW_PERIOD} (the node lifecycle controller's
 * heartbeat, judged missed after its {@code --node-monitor-grace-period}, 50 s by default) and
 * writes the Ready condition every {@link #STATUS_PERIOD} (which also puts a node the controller
 * marked {@code Unknown} back to Ready).
 *
 * <p>Heartbeats wait for nothing else: each node's renewals run on a thread of their own, status
 * writes on another, each renewal is one request, and the fleet gives this registration its own
 * client. The largest gap between two renewals of a node is measured ({@link
 * #leaseGapMaxMillis()}); a renewal later than half the Lease's duration is logged.
 */
public final class NodeRegistration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistration.class);
  static final String LEASE_NAMESPACE = "kube-node-lease";
  static final int LEASE_DURATION_SECONDS = 40;

  /** The kubelet's: a quarter of the Lease's duration. */
  static final Duration LEASE_RENEW_PERIOD = Duration.ofSeconds(10);

  /** The kubelet's {@code nodeStatusUpdateFrequency}. */
  static final Duration STATUS_PERIOD = Duration.ofSeconds(10);

  private final NodeApi api;
  private final List<String> nodes;
  private final String address;
  private final Clock clock;
  private final Instant started;
  private final int maxPods;
  private final Duration renewPeriod;
  private final Duration statusPeriod;
  private final ScheduledExecutorService leaseTimer;
  private final ScheduledExecutorService statusTimer =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kubelet-node-status"));

  /** Each node's last successful renewal (clock millis). */
  private final Map<String, Long> lastRenewed = new ConcurrentHashMap<>();

  private final AtomicLong leaseGapMaxMillis = new AtomicLong();

  public NodeRegistration(
      KubernetesClient client, List<String> nodes, String address, Clock clock) {
    this(client, nodes, address, clock, 110);
  }

  /**
   * @param client best one of its own (the fleet gives it one), so no other work's requests delay a
   *     heartbeat
   * @param maxPods each node's pod capacity (the fleet's nodes hold thousands of simulated pods)
   */
  public NodeRegistration(
      KubernetesClient client, List<String> nodes, String address, Clock clock, int maxPods) {
    this(
        new FabricNodeApi(client),
        nodes,
        address,
        clock,
        maxPods,
        LEASE_RENEW_PERIOD,
        STATUS_PERIOD);
  }

  NodeRegistration(
      NodeApi api,
      List<String> nodes,
      String address,
      Clock clock,
      int maxPods,
      Duration renewPeriod,
      Duration statusPeriod) {
    this.api = api;
    this.maxPods = maxPods;
    this.nodes = List.copyOf(nodes);
    this.address = address;
    this.clock = clock;
    this.started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    this.renewPeriod = renewPeriod;
    this.statusPeriod = statusPeriod;
    this.leaseTimer =
        Executors.newScheduledThreadPool(
            Math.max(1, this.nodes.size()), r -> daemon(r, "kubelet-node-lease"));
  }

  /** Registers the nodes (before pods can be scheduled) and starts the heartbeats. */
  public void start() {
    for (String node : nodes) {
      api.register(node(node));
      api.writeStatus(node, status(node));
      renewLease(node);
    }
    long renewMillis = renewPeriod.toMillis();
    for (String node : nodes) {
      leaseTimer.scheduleAtFixedRate(
          () -> renewLeaseSafely(node), renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    }
    statusTimer.scheduleWithFixedDelay(
        () -> nodes.forEach(this::writeStatusSafely),
        statusPeriod.toMillis(),
        statusPeriod.toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("nodes {} registered at {}", nodes, address);
  }

  public List<String> nodes() {
    return nodes;
  }

  /**
   * The longest time between two successful Lease renewals of one node so far (0 before any second
   * renewal): the period when the heartbeats keep up.
   */
  public long leaseGapMaxMillis() {
    return leaseGapMaxMillis.get();
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
      api.writeStatus(node, status(node));
    } catch (RuntimeException e) {
      log.warn("node {}: status update failed: {}", node, e.getMessage());
    }
  }

  private NodeStatus status(String node) {
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
    return new NodeStatusBuilder()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .withConditions(
            condition(
                "Ready", "True", "KubeletReady", "sandbox kubelet is posting ready status", now),
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
    } catch (RuntimeException e) {
      log.warn("node {}: lease renewal failed: {}", node, e.getMessage());
    }
  }

  private void renewLease(String node) {
    Instant now = clock.instant();
    api.renewLease(
        node,
        new LeaseSpecBuilder()
            .withHolderIdentity(node)
            .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
            .withRenewTime(now.atZone(ZoneOffset.UTC))
            .build());
    long at = clock.millis();
    Long previous = lastRenewed.put(node, at);
    if (previous != null) {
      long gap = at - previous;
      leaseGapMaxMillis.accumulateAndGet(gap, Math::max);
      if (gap * 2 > LEASE_DURATION_SECONDS * 1000L) {
        log.warn(
            "node {}: Lease renewed {} ms after the previous renewal (due every {} ms)",
            node,
            gap,
            renewPeriod.toMillis());
      }
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops the heartbeats; the Node objects stay (the control plane goes away with the sandbox). */
  @Override
  public void close() {
    leaseTimer.shutdownNow();
    statusTimer.shutdownNow();
  }
}
