package io.redisoperator.sandbox.fleet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.sandbox.api.Informers;
import io.redisoperator.sandbox.network.AddressPool;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's kubelet: takes the data pods bound to its nodes, gives each a loopback address, an
 * agent endpoint with the pod's certificate and a Running/Ready status, which it keeps ({@link
 * PodStatusSync}: written back when another writer changes it, once the pod's node is Ready); on
 * deletion it unbinds, frees the address and removes the object. A pod waits until its agent
 * certificate Secret exists, as a real pod waits for its volume.
 */
public final class Fleet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Fleet.class);

  private final KubernetesClient client;
  private final Set<String> nodes;
  private final AddressPool addresses;
  private final int agentPort;
  private final LongSupplier millis;
  private final AgentServer server;
  private final FleetCounters counters;

  /** Pod lifecycle decisions, one at a time; API writes go to {@link #writers}. */
  private final ExecutorService lifecycle =
      Executors.newSingleThreadExecutor(r -> daemon(r, "fleet-kubelet"));

  private final ExecutorService writers =
      Executors.newFixedThreadPool(8, r -> daemon(r, "fleet-api-writer"));
  private final Map<String, SimulatedPod> pods = new ConcurrentHashMap<>();
  private final FleetMembers members = new FleetMembers();
  private final FleetPodWriter writer;
  private final PodStatusSync statuses;

  /** Each of the fleet's nodes' Ready condition as last seen (absent: not seen yet). */
  private final Map<String, Boolean> nodeReady = new ConcurrentHashMap<>();

  /** Pods whose endpoint is being bound. */
  private final Set<String> starting = ConcurrentHashMap.newKeySet();

  private SharedIndexInformer<Pod> podInformer;
  private SharedIndexInformer<Secret> secretInformer;
  private SharedIndexInformer<RedisCluster> clusterInformer;
  private SharedIndexInformer<Node> nodeInformer;

  /** One served pod incarnation. */
  private record SimulatedPod(
      String key,
      String uid,
      String cluster,
      SimulatedInstance instance,
      AgentServer.Listener listener) {}

  public Fleet(
      KubernetesClient client,
      Set<String> nodes,
      String nodeIp,
      AddressPool addresses,
      int agentPort,
      LongSupplier millis,
      int serverThreads) {
    this.client = client;
    this.nodes = Set.copyOf(nodes);
    this.writer = new FleetPodWriter(client);
    this.addresses = addresses;
    this.agentPort = agentPort;
    this.millis = millis;
    this.counters = new FleetCounters(millis);
    this.statuses =
        new PodStatusSync(
            writer,
            nodeIp,
            writers,
            key -> podInformer.getStore().getByKey(key),
            node -> nodeReady.getOrDefault(node, true),
            counters,
            millis);
    this.server = new AgentServer(millis, counters, serverThreads);
  }

  public void start() {
    nodeInformer =
        client
            .nodes()
            .inform(Informers.handler(node -> lifecycle.execute(() -> onNode(node)), node -> {}));
    clusterInformer = client.resources(RedisCluster.class).inAnyNamespace().inform();
    secretInformer =
        client
            .secrets()
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .inform(
                Informers.handler(
                    secret -> lifecycle.execute(() -> onSecret(secret)), secret -> {}));
    // Assigned before it runs: a pod it delivers at once is served, and serving reads its store.
    podInformer =
        client
            .pods()
            .inAnyNamespace()
            .withLabel(Labels.WORKLOAD, Labels.WORKLOAD_DATA)
            .runnableInformer(0);
    podInformer.addEventHandler(
        Informers.handler(
            pod -> lifecycle.execute(() -> onPod(pod)),
            pod -> lifecycle.execute(() -> onGone(pod))));
    try {
      podInformer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing the pods", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the pod informer did not sync: " + e.getMessage(), e);
    }
    log.info("fleet serving nodes {}", nodes);
  }

  FleetCounters counters() {
    return counters;
  }

  /** Pods served now. */
  int served() {
    return pods.size();
  }

  Optional<SimulatedInstance> instance(String namespace, String name) {
    return Optional.ofNullable(pods.get(namespace + "/" + name)).map(SimulatedPod::instance);
  }

  /**
   * Redis of a pod starts again as the boot guard would start it (see {@link
   * SimulatedInstance#restartRedis}).
   */
  boolean restartRedis(String namespace, String name) {
    SimulatedPod pod = pods.get(namespace + "/" + name);
    if (pod == null) {
      return false;
    }
    Optional<String> primary = currentPrimary(namespace, pod.cluster());
    String primaryIp =
        primary.flatMap(p -> instance(namespace, p)).map(SimulatedInstance::ip).orElse(null);
    pod.instance().restartRedis(primary.map(name::equals).orElse(false), primaryIp);
    return true;
  }

  private void onNode(Node node) {
    String name = node.getMetadata().getName();
    if (!nodes.contains(name)) {
      return;
    }
    boolean ready =
        node.getStatus() != null
            && node.getStatus().getConditions() != null
            && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    Boolean before = nodeReady.put(name, ready);
    if (ready && Boolean.FALSE.equals(before)) {
      log.info("node {} Ready again: writing back its pods' statuses", name);
      statuses.nodeReady(name);
    } else if (!ready && !Boolean.FALSE.equals(before)) {
      log.warn("node {} not Ready (its heartbeats judged missed)", name);
    }
  }

  private void onPod(Pod pod) {
    String key = key(pod);
    SimulatedPod existing = pods.get(key);
    if (existing != null && existing.uid().equals(pod.getMetadata().getUid())) {
      statuses.observed(pod);
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      if (existing != null && existing.uid().equals(pod.getMetadata().getUid())) {
        stop(existing);
      }
      writers.execute(() -> writer.removeObject(pod));
      return;
    }
    if (existing != null || starting.contains(key) || !runsHere(pod)) {
      return;
    }
    startIfReady(pod);
  }

  private void onGone(Pod pod) {
    SimulatedPod existing = pods.get(key(pod));
    if (existing != null && existing.uid().equals(pod.getMetadata().getUid())) {
      stop(existing);
    }
  }

  /** A pod waiting for its agent certificate starts when the Secret arrives. */
  private void onSecret(Secret secret) {
    String name = secret.getMetadata().getName();
    String suffix = ResourceNames.agentTlsSecret("");
    if (!name.endsWith(suffix) || podInformer == null) {
      return;
    }
    Pod pod =
        podInformer
            .getStore()
            .getByKey(
                secret.getMetadata().getNamespace()
                    + "/"
                    + name.substring(0, name.length() - suffix.length()));
    if (pod != null) {
      onPod(pod);
    }
  }

  private boolean runsHere(Pod pod) {
    return pod.getSpec().getNodeName() != null && nodes.contains(pod.getSpec().getNodeName());
  }

  private void startIfReady(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Secret tls =
        secretInformer.getStore().getByKey(namespace + "/" + ResourceNames.agentTlsSecret(name));
    if (tls == null || tls.getData() == null) {
      return; // started when the Secret arrives
    }
    SSLContext context;
    try {
      context =
          AgentServer.serverContext(
              decode(tls, InstanceLayout.SECRET_KEY_TLS_CERT),
              decode(tls, InstanceLayout.SECRET_KEY_TLS_KEY),
              decode(tls, InstanceLayout.SECRET_KEY_CA_CERT));
    } catch (Exception e) {
      log.warn("pod {}/{}: unusable agent certificate: {}", namespace, name, e.getMessage());
      return;
    }
    String cluster = pod.getMetadata().getLabels().get(Labels.CLUSTER);
    Optional<String> primary = currentPrimary(namespace, cluster);
    boolean startsPrimary =
        primary.map(name::equals).orElse(ResourceNames.ordinalOf(cluster, name).orElse(-1) == 0);
    String primaryIp =
        primary
            .filter(p -> !p.equals(name))
            .flatMap(p -> instance(namespace, p))
            .map(SimulatedInstance::ip)
            .orElse(null);
    String ip = addresses.allocate();
    SimulatedInstance instance =
        new SimulatedInstance(
            name, ip, startsPrimary, primaryIp, millis, members.peers(namespace, cluster));
    String key = key(pod);
    starting.add(key);
    server
        .bind(instance, context, agentPort)
        .whenComplete(
            (listener, failure) ->
                lifecycle.execute(
                    () -> {
                      starting.remove(key);
                      if (failure != null) {
                        log.warn(
                            "pod {}: cannot bind {}:{}: {}",
                            key,
                            ip,
                            agentPort,
                            failure.getMessage());
                        addresses.release(ip);
                        return;
                      }
                      SimulatedPod served =
                          new SimulatedPod(
                              key, pod.getMetadata().getUid(), cluster, instance, listener);
                      Pod now = podInformer.getStore().getByKey(key);
                      if (now == null
                          || !now.getMetadata().getUid().equals(served.uid())
                          || now.getMetadata().getDeletionTimestamp() != null) {
                        listener
                            .close()
                            .thenRun(() -> addresses.release(ip)); // deleted while binding
                        return;
                      }
                      pods.put(key, served);
                      members.add(namespace, cluster, instance);
                      statuses.served(now, ip);
                    }));
  }

  private Optional<String> currentPrimary(String namespace, String cluster) {
    RedisCluster rc = clusterInformer.getStore().getByKey(namespace + "/" + cluster);
    return Optional.ofNullable(rc).map(RedisCluster::getStatus).map(s -> s.getCurrentPrimary());
  }

  private void stop(SimulatedPod pod) {
    pods.remove(pod.key(), pod);
    statuses.forget(pod.key(), pod.uid());
    members.remove(pod.key().substring(0, pod.key().indexOf('/')), pod.cluster(), pod.instance());
    pod.listener().close().thenRun(() -> addresses.release(pod.instance().ip()));
  }

  private static String decode(Secret secret, String key) {
    String value = secret.getData().get(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    lifecycle.shutdownNow();
    statuses.close();
    writers.shutdownNow();
    for (SimulatedPod pod : List.copyOf(pods.values())) {
      stop(pod);
    }
    for (SharedIndexInformer<?> informer :
        new SharedIndexInformer<?>[] {podInformer, secretInformer, clusterInformer, nodeInformer}) {
      if (informer != null) {
        informer.close();
      }
    }
    server.close();
  }
}
