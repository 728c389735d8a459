package io.redisoperator.e2e.k3s;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.fault.Link;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scenarios' faults on a real cluster, through the API server and, for what the API cannot do
 * (a real SIGKILL of the controller, dropping established connections), on the k3s node.
 */
final class K3sFaultInjector implements FaultInjector {
  private static final Logger log = LoggerFactory.getLogger(K3sFaultInjector.class);

  /**
   * The data pod's main container (shared runtime contract); the agent starts redis-server there.
   */
  private static final String REDIS_CONTAINER = "redis";

  /**
   * POSIX sh and /proc only (the Redis image has no pkill): SIGKILL every process whose comm is
   * redis-server. The pod shares one process namespace, so this sees it whichever container started
   * it. Prints the PIDs killed.
   */
  private static final String KILL_REDIS_SERVER =
      """
      killed=""
      for dir in /proc/[0-9]*; do
        comm=""
        read -r comm 2>/dev/null < "$dir/comm" || continue
        if [ "$comm" = redis-server ]; then
          pid="${dir#/proc/}"
          kill -9 "$pid" && killed="$killed $pid"
        fi
      done
      if [ -z "$killed" ]; then echo "no redis-server process" >&2; exit 1; fi
      echo "$killed"
      """;

  /**
   * conntrack ships with k3s; its own tools directory is searched too in case the image does not
   * link it in /bin.
   */
  private static final String K3S_TOOLS_PATH =
      "PATH=\"$PATH:/var/lib/rancher/k3s/data/current/bin\";";

  /**
   * kube-router enforces a new policy asynchronously (a full sync, well under a second on one
   * node): the waits before each removal of the pod's established connections.
   */
  private static final long[] POLICY_SYNC_MILLIS = {2000, 3000};

  private final KubernetesClient client;
  private final K3sNode node;
  private final AtomicInteger partitions = new AtomicInteger();

  K3sFaultInjector(KubernetesClient client, K3sNode node) {
    this.client = client;
    this.node = node;
  }

  @Override
  public void forceDeletePod(String namespace, String pod) {
    client.pods().inNamespace(namespace).withName(pod).withGracePeriod(0).delete();
    log.info("fault: force-deleted pod {}/{}", namespace, pod);
  }

  @Override
  public void killRedisServer(String namespace, String pod) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (ExecWatch exec =
        client
            .pods()
            .inNamespace(namespace)
            .withName(pod)
            .inContainer(REDIS_CONTAINER)
            .writingOutput(out)
            .writingError(err)
            .exec("sh", "-c", KILL_REDIS_SERVER)) {
      exit = exec.exitCode().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("exec in pod " + namespace + "/" + pod + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (exit != 0) {
      throw new IllegalStateException(
          "killing redis-server in pod "
              + namespace
              + "/"
              + pod
              + " failed (exit "
              + exit
              + "): "
              + err.toString(StandardCharsets.UTF_8).strip());
    }
    log.info(
        "fault: SIGKILL to redis-server [{}] in pod {}/{}",
        out.toString(StandardCharsets.UTF_8).strip(),
        namespace,
        pod);
  }

  /**
   * The data container's main process is the agent: containerd SIGKILLs the task's init process.
   */
  @Override
  public void killAgent(String namespace, String pod) {
    Pod found = client.pods().inNamespace(namespace).withName(pod).get();
    String id =
        containerId(found, REDIS_CONTAINER)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "pod " + namespace + "/" + pod + " has no running agent"));
    node.require(new int[] {0}, "ctr", "-n", "k8s.io", "tasks", "kill", "--signal", "SIGKILL", id);
    log.info("fault: SIGKILL to the agent of pod {}/{}", namespace, pod);
  }

  @Override
  public Optional<String> apiServerOutageUnavailableReason() {
    return Optional.of(
        "k3s serves the API from the node's k3s process, which also runs the kubelet and the pods");
  }

  @Override
  public Outage stopApiServer() {
    throw new IllegalStateException(apiServerOutageUnavailableReason().orElseThrow());
  }

  /** NetworkPolicies are enforced by k3s's embedded kube-router. */
  @Override
  public Optional<String> partitionUnavailableReason() {
    return Optional.empty();
  }

  /**
   * Applies an {@link IsolationPolicy} to the pod (see there for what each link covers and what it
   * cannot), then removes the pod's connections from the node's conntrack table: the policy engine
   * lets established connections through, whereas a cut link must also break the replication stream
   * and the agent's open API connections. A packet of a forgotten connection counts as new, so the
   * policy decides about it.
   */
  @Override
  public Partition isolate(String namespace, String pod, Set<Link> links) {
    Pod target = client.pods().inNamespace(namespace).withName(pod).get();
    if (target == null || target.getStatus() == null || target.getStatus().getPodIP() == null) {
      throw new IllegalStateException("pod " + namespace + "/" + pod + " has no address");
    }
    String podIp = target.getStatus().getPodIP();
    String cluster = target.getMetadata().getLabels().get(Labels.CLUSTER);
    String name = "e2e-isolate-" + pod + "-" + partitions.incrementAndGet();
    NetworkPolicy policy =
        IsolationPolicy.build(
            name, namespace, cluster, pod, links, podNetwork(), apiServerAddresses());
    client.resource(policy).create();
    Runnable deletePolicy =
        () ->
            client.network().v1().networkPolicies().inNamespace(namespace).withName(name).delete();
    try {
      // Twice: a connection re-opened before kube-router enforced the policy would be kept as
      // established.
      for (long wait : POLICY_SYNC_MILLIS) {
        sleep(wait);
        forgetConnections(podIp);
      }
    } catch (RuntimeException e) {
      deletePolicy.run();
      throw e;
    }
    log.info(
        "fault: pod {}/{} ({}) isolated from {} by NetworkPolicy {}",
        namespace,
        pod,
        podIp,
        links,
        name);
    AtomicBoolean healed = new AtomicBoolean();
    return () -> {
      if (healed.compareAndSet(false, true)) {
        deletePolicy.run();
        log.info(
            "fault: partition of pod {}/{} healed (NetworkPolicy {} deleted)",
            namespace,
            pod,
            name);
      }
    };
  }

  /** The nodes' pod ranges: what an ipBlock must exclude so that it does not also match pods. */
  private List<String> podNetwork() {
    List<String> cidrs = new ArrayList<>();
    for (Node n : client.nodes().list().getItems()) {
      if (n.getSpec().getPodCIDRs() != null && !n.getSpec().getPodCIDRs().isEmpty()) {
        cidrs.addAll(n.getSpec().getPodCIDRs());
      } else if (n.getSpec().getPodCIDR() != null) {
        cidrs.add(n.getSpec().getPodCIDR());
      }
    }
    return cidrs.stream().filter(c -> !c.contains(":")).distinct().toList();
  }

  /** Where pods reach the API server: the {@code kubernetes} Service IP and its endpoints. */
  @SuppressWarnings(
      "deprecation") // Endpoints: the kubernetes Service's endpoints are what the API server
  // publishes
  private List<String> apiServerAddresses() {
    List<String> addresses = new ArrayList<>();
    Service service = client.services().inNamespace("default").withName("kubernetes").get();
    if (service != null && service.getSpec().getClusterIP() != null) {
      addresses.add(service.getSpec().getClusterIP());
    }
    Endpoints endpoints = client.endpoints().inNamespace("default").withName("kubernetes").get();
    if (endpoints != null) {
      endpoints.getSubsets().forEach(s -> s.getAddresses().forEach(a -> addresses.add(a.getIp())));
    }
    if (addresses.isEmpty()) {
      throw new IllegalStateException(
          "cannot find the API server's addresses (service default/kubernetes)");
    }
    return addresses;
  }

  /**
   * Deletes the node's conntrack entries of the pod, whichever side opened them and whether or not
   * a Service address was translated to it (exit 1: there were none). Fails when conntrack does not
   * work: a partition that leaves the replication stream up would make the scenario's verdict
   * meaningless.
   */
  private void forgetConnections(String podIp) {
    for (String side : List.of("--orig-src", "--orig-dst", "--reply-src", "--reply-dst")) {
      node.require(
          new int[] {0, 1},
          "sh",
          "-c",
          K3S_TOOLS_PATH + " exec conntrack -D " + side + " " + podIp);
    }
  }

  /**
   * SIGKILLs the controller's container on the node (an API deletion would send SIGTERM first and
   * let it shut down cleanly), then scales the Deployment to 0 and force-deletes the pod so nothing
   * restarts it.
   */
  @Override
  public void killController() {
    List<Pod> pods = operatorPods();
    for (Pod pod : pods) {
      containerId(pod, OperatorManifests.CONTAINER)
          .ifPresentOrElse(
              id ->
                  node.require(
                      new int[] {0},
                      "ctr",
                      "-n",
                      "k8s.io",
                      "tasks",
                      "kill",
                      "--signal",
                      "SIGKILL",
                      id),
              () ->
                  log.warn(
                      "controller pod {} has no running container to SIGKILL",
                      pod.getMetadata().getName()));
    }
    client
        .apps()
        .deployments()
        .inNamespace(OperatorManifests.NAMESPACE)
        .withName(OperatorManifests.NAME)
        .scale(0);
    client
        .pods()
        .inNamespace(OperatorManifests.NAMESPACE)
        .withLabels(OperatorManifests.selector())
        .withGracePeriod(0)
        .delete();
    log.info("fault: controller killed ({} pod(s)), Deployment scaled to 0", pods.size());
  }

  /** Scales the Deployment back to 1 and waits until the new controller is Ready. */
  @Override
  public void startController() {
    client
        .apps()
        .deployments()
        .inNamespace(OperatorManifests.NAMESPACE)
        .withName(OperatorManifests.NAME)
        .scale(1);
    OperatorInstall.awaitReady(client);
    log.info("fault: controller started");
  }

  private List<Pod> operatorPods() {
    return client
        .pods()
        .inNamespace(OperatorManifests.NAMESPACE)
        .withLabels(OperatorManifests.selector())
        .list()
        .getItems();
  }

  /**
   * The containerd id of a running container of the pod ({@code containerd://<id>} in the pod
   * status).
   */
  private static Optional<String> containerId(Pod pod, String container) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(
            s ->
                container.equals(s.getName())
                    && s.getState() != null
                    && s.getState().getRunning() != null)
        .map(ContainerStatus::getContainerID)
        .filter(id -> id != null && id.contains("://"))
        .map(id -> id.substring(id.indexOf("://") + 3))
        .findFirst();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
