package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.redisoperator.sandbox.api.Informers;
import io.redisoperator.sandbox.network.AddressPool;
import io.redisoperator.sandbox.network.PortForwarder;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.state.StateDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's node(s): watches pods (one informer, no polling) and runs each as a {@link
 * PodWorker}; acts as the volume provisioner too (a PVC is a directory that outlives pods, bound on
 * sight and removed with the claim).
 */
public final class Kubelet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Kubelet.class);

  /**
   * Every pod reaches the API server through its own endpoint {@code <podIP>:6443} (its
   * KUBERNETES_MASTER), forwarded to the real one: a partition can cut one pod off the API server
   * by destination, whatever source address the pod's HTTP client uses. One fixed port suffices
   * since every pod incarnation has its own address.
   */
  public static final int POD_API_SERVER_PORT = 6443;

  private final KubernetesClient client;
  private final Informers informers;
  private final KubeletConfig config;
  private final StateDir state;
  private final AddressPool podAddresses;
  private final Prober prober;
  private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
  private final ExecutorService forwarderThreads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "kubelet-api-endpoint");
            t.setDaemon(true);
            return t;
          });
  private final ObjectSource objects;
  private final PodApi podApi;
  private final Set<String> nodeNames;
  private final VolumeProvisioner provisioner;
  private volatile boolean closed;

  /**
   * A kubelet on the mock API server: it runs every pod (there is no scheduler) with {@link
   * MockPodApi}.
   */
  public Kubelet(
      KubernetesClient client,
      Informers informers,
      KubeletConfig config,
      StateDir state,
      AddressPool podAddresses) {
    this(client, informers, config, state, podAddresses, new MockPodApi(), Set.of());
  }

  /**
   * @param podApi how pods reach and authenticate to the API server
   * @param nodeNames the nodes this kubelet serves on a real API server: it runs the pods bound to
   *     one of them and provisions PersistentVolumes for claims; empty on the mock: it runs every
   *     pod and marks claims Bound itself
   */
  public Kubelet(
      KubernetesClient client,
      Informers informers,
      KubeletConfig config,
      StateDir state,
      AddressPool podAddresses,
      PodApi podApi,
      Set<String> nodeNames) {
    this.podApi = podApi;
    this.nodeNames = Set.copyOf(nodeNames);
    this.provisioner = nodeNames.isEmpty() ? null : new VolumeProvisioner(client, this::claimDir);
    this.client = client;
    this.informers = informers;
    this.config = config;
    this.state = state;
    this.podAddresses = podAddresses;
    this.prober = new Prober(config.nodeAddress());
    this.objects =
        new ObjectSource() {
          @Override
          public Optional<Secret> secret(String namespace, String name) {
            return Optional.ofNullable(
                informers.secrets().getStore().getByKey(namespace + "/" + name));
          }

          @Override
          public Optional<ConfigMap> configMap(String namespace, String name) {
            return Optional.ofNullable(
                informers.configMaps().getStore().getByKey(namespace + "/" + name));
          }
        };
  }

  /**
   * Registers the event handlers; call before the informers start (or they replay their caches).
   */
  public void start() {
    informers
        .pods()
        .addEventHandler(
            Informers.handler(
                this::onPod,
                pod -> {
                  PodWorker worker = workers.get(pod.getMetadata().getUid());
                  if (worker != null) {
                    worker.onDeleted();
                  }
                }));
    if (provisioner == null) {
      informers
          .claims()
          .addEventHandler(
              Informers.handler(this::bind, claim -> releaseVolumeIfUnused(claimDir(claim))));
    } else {
      informers
          .claims()
          .addEventHandler(
              Informers.handler(
                  provisioner::provision,
                  claim -> {
                    provisioner.release(claim);
                    releaseVolumeIfUnused(claimDir(claim));
                  }));
    }
  }

  private void onPod(Pod pod) {
    if (closed || !runsHere(pod)) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    PodWorker existing = workers.get(uid);
    if (existing != null) {
      existing.onUpdate(pod);
      return;
    }
    PodWorker worker = new PodWorker(this, pod);
    workers.put(uid, worker);
    worker.onUpdate(pod);
    worker.start();
  }

  private boolean runsHere(Pod pod) {
    String node = pod.getSpec().getNodeName();
    return nodeNames.isEmpty() || (node != null && nodeNames.contains(node));
  }

  /** Marks a claim Bound with the requested capacity, as a dynamic provisioner would. */
  private void bind(PersistentVolumeClaim claim) {
    if (claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase())) {
      return;
    }
    Map<String, Quantity> requested =
        claim.getSpec() == null || claim.getSpec().getResources() == null
            ? Map.of()
            : Optional.ofNullable(claim.getSpec().getResources().getRequests()).orElse(Map.of());
    String status =
        Serialization.asJson(
            Map.of(
                "phase",
                "Bound",
                "accessModes",
                Optional.ofNullable(claim.getSpec()).map(s -> s.getAccessModes()).orElse(List.of()),
                "capacity",
                requested));
    try {
      client
          .persistentVolumeClaims()
          .inNamespace(claim.getMetadata().getNamespace())
          .withName(claim.getMetadata().getName())
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + status + "}]");
    } catch (KubernetesClientException e) {
      log.debug("cannot bind claim {}: {}", claim.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * Deletes the pod object once its containers are gone, unless a new pod of the same name replaced
   * it already.
   */
  void removeObjectIfSameUid(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Pod cached = informers.pods().getStore().getByKey(ns + "/" + name);
    if (cached == null || !pod.getMetadata().getUid().equals(cached.getMetadata().getUid())) {
      return;
    }
    try {
      // The cache may still show this incarnation when a new pod of the same name exists already:
      // the uid
      // precondition keeps the delete from reaching the new one.
      client.raw(
          "/api/v1/namespaces/" + ns + "/pods/" + name + "?gracePeriodSeconds=0",
          "DELETE",
          Map.of(
              "gracePeriodSeconds", 0, "preconditions", Map.of("uid", pod.getMetadata().getUid())));
    } catch (KubernetesClientException e) {
      log.warn("pod {}/{}: cannot remove the object: {}", ns, name, e.getMessage());
    }
  }

  /**
   * Reclaim policy Delete: the data goes with the claim, but only once no pod uses it any more
   * (what the pvc-protection finalizer guarantees on a real cluster); a terminating pod's cleanup
   * calls this again.
   */
  synchronized void releaseVolumeIfUnused(Path volume) {
    boolean claimed =
        informers.claims().getStore().list().stream().anyMatch(c -> claimDir(c).equals(volume));
    if (claimed) {
      return;
    }
    if (workers.values().stream().anyMatch(w -> w.mounts(volume))) {
      log.info("volume {} of a deleted claim kept until its pod is gone", volume.getFileName());
      return;
    }
    StateDir.deleteRecursively(volume);
    log.info("volume {} of a deleted claim removed", volume.getFileName());
  }

  void forget(PodWorker worker) {
    workers.remove(worker.uid(), worker);
  }

  /** A running pod incarnation, for fault injection and tests. */
  public record PodProcesses(
      String uid, String podIp, Path root, Map<String, ProcessGroup> containers) {}

  /** The current incarnation of a pod (the one not being deleted, if any), or empty. */
  public Optional<PodProcesses> pod(String namespace, String name) {
    return current(namespace, name)
        .map(w -> new PodProcesses(w.uid(), w.podIp(), w.root(), w.processes()));
  }

  private Optional<PodWorker> current(String namespace, String name) {
    return workers.values().stream()
        .filter(
            w ->
                w.pod().getMetadata().getNamespace().equals(namespace)
                    && w.pod().getMetadata().getName().equals(name))
        .sorted(
            (a, b) ->
                Boolean.compare(
                    a.pod().getMetadata().getDeletionTimestamp() != null,
                    b.pod().getMetadata().getDeletionTimestamp() != null))
        .findFirst();
  }

  /**
   * What a pod's API server endpoint forwarded so far (current incarnation), or empty when it has
   * none.
   */
  public Optional<PortForwarder.Traffic> apiServerTraffic(String namespace, String name) {
    return current(namespace, name).flatMap(PodWorker::apiServerTraffic);
  }

  ExecutorService forwarderThreads() {
    return forwarderThreads;
  }

  KubernetesClient client() {
    return client;
  }

  KubeletConfig config() {
    return config;
  }

  StateDir state() {
    return state;
  }

  AddressPool podAddresses() {
    return podAddresses;
  }

  PodApi podApi() {
    return podApi;
  }

  Prober prober() {
    return prober;
  }

  ObjectSource objects() {
    return objects;
  }

  Optional<PersistentVolumeClaim> claim(String namespace, String name) {
    return Optional.ofNullable(informers.claims().getStore().getByKey(namespace + "/" + name));
  }

  /**
   * A claim's volume: one directory per claim object (uid), so a re-created claim starts empty, as
   * a new PV.
   */
  public Path claimDir(PersistentVolumeClaim claim) {
    return state
        .pvcsDir()
        .resolve(claim.getMetadata().getNamespace())
        .resolve(claim.getMetadata().getName() + "-" + claim.getMetadata().getUid());
  }

  Path logsDir(Pod pod) {
    return config
        .logsDir()
        .resolve(
            pod.getMetadata().getNamespace()
                + "_"
                + pod.getMetadata().getName()
                + "_"
                + pod.getMetadata()
                    .getUid()
                    .substring(Math.max(0, pod.getMetadata().getUid().length() - 8)));
  }

  /**
   * Stops every pod (SIGTERM, up to {@code grace}, SIGKILL) in parallel; API objects are left as
   * they are.
   */
  public void stopAll(Duration grace) {
    closed = true;
    ParallelStop.each(workers.values(), worker -> "kubelet-stop", worker -> worker.shutdown(grace));
    forwarderThreads.shutdownNow();
  }

  @Override
  public void close() {
    stopAll(Duration.ofSeconds(3));
  }
}
