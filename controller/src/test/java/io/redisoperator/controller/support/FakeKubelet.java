package io.redisoperator.controller.support;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Plays kubelet for the controller tests: gives each new data pod a fresh loopback IP, starts a
 * {@link FakeAgent} there (booting like the real agent's boot guard: primary if status names it and
 * it is not fenced, otherwise a replica of the recorded primary) and marks the pod Running and
 * Ready. A deleted pod's agent is stopped.
 */
public final class FakeKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final FakeFleet fleet;
  private final Map<String, String> agentUidByPod = new ConcurrentHashMap<>();

  /** Pods listed here are left Pending without an IP. */
  public final Set<String> held = ConcurrentHashMap.newKeySet();

  /**
   * Pods listed here behave like pods on a partitioned node when deleted: their agent keeps
   * running, unreachable.
   */
  public final Set<String> unreachableOnDelete = ConcurrentHashMap.newKeySet();

  private final Thread loop;
  private volatile boolean running = true;

  public FakeKubelet(KubernetesClient client, String namespace, FakeFleet fleet) {
    this.client = client;
    this.namespace = namespace;
    this.fleet = fleet;
    this.loop = new Thread(this::run, "fake-kubelet");
    loop.setDaemon(true);
    loop.start();
  }

  private void run() {
    while (running) {
      try {
        tick();
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // The mock may be shutting down, or a port is still being released; try again on the next
        // tick.
      }
    }
  }

  private void tick() throws Exception {
    Set<String> seen = new HashSet<>();
    for (Pod pod :
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(Labels.WORKLOAD, Labels.WORKLOAD_DATA)
            .list()
            .getItems()) {
      String name = pod.getMetadata().getName();
      String uid = pod.getMetadata().getUid();
      seen.add(name);
      if (!uid.equals(agentUidByPod.get(name))) {
        FakeAgent old = fleet.pod(name);
        if (old != null) {
          fleet.stop(old);
        }
        agentUidByPod.remove(name);
      }
      boolean hasIp = pod.getStatus() != null && pod.getStatus().getPodIP() != null;
      if (!hasIp && !held.contains(name) && pod.getMetadata().getDeletionTimestamp() == null) {
        boot(pod);
      }
    }
    for (String name : Set.copyOf(agentUidByPod.keySet())) {
      if (!seen.contains(name)) {
        FakeAgent agent = fleet.pod(name);
        if (agent != null && unreachableOnDelete.contains(name)) {
          agent.partitioned = true;
        } else if (agent != null) {
          fleet.stop(agent);
        }
        agentUidByPod.remove(name);
      }
    }
  }

  /** The pod's agent TLS context, from its Secret, as the real agent builds it. */
  static SSLContext agentServerTls(Secret secret) throws java.security.GeneralSecurityException {
    java.util.function.Function<String, String> value =
        key ->
            new String(
                Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    return AgentTls.serverContext(
        KeyMaterial.fromPem(
            value.apply(InstanceLayout.SECRET_KEY_TLS_CERT),
            value.apply(InstanceLayout.SECRET_KEY_TLS_KEY)),
        Pem.certificates(value.apply(InstanceLayout.SECRET_KEY_CA_CERT)));
  }

  private void boot(Pod pod) throws Exception {
    String name = pod.getMetadata().getName();
    String clusterName = pod.getMetadata().getLabels().get(Labels.CLUSTER);
    RedisCluster cluster =
        client.resources(RedisCluster.class).inNamespace(namespace).withName(clusterName).get();
    Secret agentTls =
        client.secrets().inNamespace(namespace).withName(ResourceNames.agentTlsSecret(name)).get();
    if (cluster == null || agentTls == null) {
      return;
    }
    SSLContext tls = agentServerTls(agentTls);
    String primary = cluster.getStatus() == null ? null : cluster.getStatus().getCurrentPrimary();
    boolean fenced =
        cluster.getStatus() != null && cluster.getStatus().getFencedInstances().contains(name);
    String ip = FakeFleet.nextIp();
    FakeAgent agent;
    if (name.equals(primary) && !fenced) {
      agent = fleet.start(name, ip, tls, InstanceRole.PRIMARY, null);
    } else {
      FakeAgent primaryAgent = primary == null ? null : fleet.pod(primary);
      agent =
          fleet.start(
              name, ip, tls, InstanceRole.REPLICA, primaryAgent == null ? null : primaryAgent.ip());
    }
    agent.fenced = fenced;
    agentUidByPod.put(name, pod.getMetadata().getUid());
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  @Override
  public void close() {
    running = false;
    loop.interrupt();
    try {
      loop.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
