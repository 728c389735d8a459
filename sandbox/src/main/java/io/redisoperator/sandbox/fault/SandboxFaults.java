package io.redisoperator.sandbox.fault;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.sandbox.controlplane.ControlPlane;
import io.redisoperator.sandbox.kubelet.Kubelet;
import io.redisoperator.sandbox.network.Firewall;
import io.redisoperator.sandbox.operator.ControllerProcess;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.process.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults on sandbox pods: real signals to real processes and iptables rules on loopback addresses.
 */
public final class SandboxFaults implements FaultInjector {
  private static final Logger log = LoggerFactory.getLogger(SandboxFaults.class);

  /** The data pod's container, whose main process is the agent. */
  private static final String DATA_CONTAINER = "redis";

  private final KubernetesClient client;
  private final Kubelet kubelet;
  private final Firewall firewall;
  private final ControllerProcess controller;
  private final PartitionRules partitionRules;
  private final ControlPlane controlPlane;

  /**
   * @param peerRange the pod address range, e.g. {@code 127.0.100.2-127.0.199.254}
   * @param controller may be null when the sandbox runs without the operator (infrastructure tests)
   * @param controlPlane null on the mock API server
   */
  public SandboxFaults(
      KubernetesClient client,
      Kubelet kubelet,
      Firewall firewall,
      ControllerProcess controller,
      String peerRange,
      ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
    this.client = client;
    this.kubelet = kubelet;
    this.firewall = firewall;
    this.controller = controller;
    this.partitionRules = new PartitionRules(Kubelet.POD_API_SERVER_PORT, peerRange);
  }

  @Override
  public void forceDeletePod(String namespace, String pod) {
    client.pods().inNamespace(namespace).withName(pod).withGracePeriod(0).delete();
    log.info("fault: force-deleted pod {}/{}", namespace, pod);
  }

  @Override
  public void killRedisServer(String namespace, String pod) {
    Kubelet.PodProcesses processes = running(namespace, pod);
    List<Long> killed = new ArrayList<>();
    for (ProcessGroup group : processes.containers().values()) {
      for (long pid : group.members()) {
        if (isRedisServer(pid)) {
          ProcessGroup.signalProcess(pid, Signal.KILL);
          killed.add(pid);
        }
      }
    }
    if (killed.isEmpty()) {
      throw new IllegalStateException("no redis-server process in pod " + namespace + "/" + pod);
    }
    log.info("fault: SIGKILL to redis-server {} in pod {}/{}", killed, namespace, pod);
  }

  @Override
  public void killAgent(String namespace, String pod) {
    Kubelet.PodProcesses processes = running(namespace, pod);
    ProcessGroup container = processes.containers().get(DATA_CONTAINER);
    if (container == null || !container.isAlive()) {
      throw new IllegalStateException(
          "no running container " + DATA_CONTAINER + " in pod " + namespace + "/" + pod);
    }
    container.signalMain(Signal.KILL);
    log.info("fault: SIGKILL to the agent (pid {}) of pod {}/{}", container.pgid(), namespace, pod);
  }

  private Kubelet.PodProcesses running(String namespace, String pod) {
    return kubelet
        .pod(namespace, pod)
        .orElseThrow(
            () ->
                new IllegalStateException("pod " + namespace + "/" + pod + " is not running here"));
  }

  /** By /proc/PID/comm: redis-server rewrites its command line (proc title), not its comm name. */
  private static boolean isRedisServer(long pid) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(pid), "comm"))
          .trim()
          .equals("redis-server");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public Optional<String> partitionUnavailableReason() {
    return Firewall.unavailableReason();
  }

  @Override
  public Partition isolate(String namespace, String pod, Set<Link> links) {
    String ip = running(namespace, pod).podIp();
    if (ip == null) {
      throw new IllegalStateException("pod " + namespace + "/" + pod + " has no address");
    }
    List<Firewall.Rule> rules = new ArrayList<>();
    try {
      for (List<String> match : partitionRules.matches(ip, links)) {
        rules.add(firewall.drop(match));
      }
    } catch (RuntimeException e) {
      rules.forEach(Firewall.Rule::remove);
      throw e;
    }
    log.info("fault: pod {}/{} ({}) isolated from {}", namespace, pod, ip, links);
    return () -> {
      rules.forEach(Firewall.Rule::remove);
      log.info("fault: partition of pod {}/{} ({}) healed", namespace, pod, ip);
    };
  }

  @Override
  public Optional<String> apiServerOutageUnavailableReason() {
    return controlPlane == null
        ? Optional.of("the mock API server cannot be stopped and started again")
        : Optional.empty();
  }

  @Override
  public Outage stopApiServer() {
    if (controlPlane == null) {
      throw new IllegalStateException(apiServerOutageUnavailableReason().orElseThrow());
    }
    controlPlane.stopApiServer();
    log.info("fault: kube-apiserver stopped");
    return () -> {
      controlPlane.startApiServer();
      log.info("fault: kube-apiserver back");
    };
  }

  @Override
  public void killController() {
    requireController().kill();
    log.info("fault: controller killed");
  }

  @Override
  public void startController() {
    requireController().start();
    log.info("fault: controller started");
  }

  private ControllerProcess requireController() {
    if (controller == null) {
      throw new IllegalStateException("this sandbox runs without the controller");
    }
    return controller;
  }
}
