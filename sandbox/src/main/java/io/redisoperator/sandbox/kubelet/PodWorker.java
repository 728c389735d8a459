package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.sandbox.network.PortForwarder;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod incarnation (one uid) on the sandbox node, driven by its own thread: sets up its volumes under a per-pod root
 * directory, gets a fresh loopback address, runs its containers, probes them, projects Secret/ConfigMap updates, reports
 * status (only when it changed, or when someone else changed its Ready condition: the node lifecycle controller marks
 * the pods of a node it lost touch with not ready, and the kubelet's status manager posts its own view again) and on
 * deletion stops the containers within the grace period and removes the object.
 */
final class PodWorker {
  private static final Logger log = LoggerFactory.getLogger(PodWorker.class);
  private static final long TICK_MILLIS = 200;
  private static final long VOLUME_SYNC_MILLIS = 500;
  private static final String SERVICE_ACCOUNT_VOLUME = "kube-api-access-sandbox";

  private final Kubelet kubelet;
  private final String uid;
  private final String key;
  private final ScheduledExecutorService thread;
  private final Path podDir;
  private final Path root;
  private final Map<String, ContainerRuntime> containers = new LinkedHashMap<>();
  private final Map<String, Map<String, FileContent>> projectedWritten = new HashMap<>();
  private final Map<String, Long> projectedPendingSince = new HashMap<>();
  private final Map<String, Instant> conditionSince = new HashMap<>();
  private final java.util.Set<Path> mountedClaims = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Pod pod;
  private volatile boolean terminating;
  private volatile boolean forceKill;
  private volatile PortForwarder apiServerEndpoint;
  private String podIp;
  private Instant startTime;
  private boolean prepared;
  private String pendingMessage;
  private volatile String lastStatusJson;
  /** The Ready condition's status in the last status posted, null before the first. */
  private volatile String lastReady;
  private long lastVolumeSync;

  PodWorker(Kubelet kubelet, Pod pod) {
    this.kubelet = kubelet;
    this.pod = pod;
    this.uid = pod.getMetadata().getUid();
    this.key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    this.podDir = kubelet.state().podsDir().resolve(uid);
    this.root = podDir.resolve("root");
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kubelet-" + pod.getMetadata().getName());
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    thread.scheduleWithFixedDelay(this::tickSafely, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  String uid() {
    return uid;
  }

  Pod pod() {
    return pod;
  }

  /** The pod's address, or null before the pod sandbox exists. */
  synchronized String podIp() {
    return podIp;
  }

  /** The process groups of running containers, by container name. */
  synchronized Map<String, ProcessGroup> processes() {
    Map<String, ProcessGroup> result = new LinkedHashMap<>();
    containers.forEach((name, c) -> {
      if (c.isRunning()) {
        result.put(name, c.process());
      }
    });
    return result;
  }

  Path root() {
    return root;
  }

  void onUpdate(Pod updated) {
    pod = updated;
    String apiReady = readyOf(updated.getStatus());
    if (lastReady != null && apiReady != null && !apiReady.equals(lastReady)) {
      lastStatusJson = null; // not what this kubelet posted: post its view again on the next tick
    }
    if (updated.getMetadata().getDeletionTimestamp() != null && !terminating) {
      terminating = true;
      long grace = Optional.ofNullable(updated.getMetadata().getDeletionGracePeriodSeconds()).orElse(30L);
      thread.execute(() -> terminate(Duration.ofSeconds(grace), true));
    }
  }

  /** The object is gone from the API server (force delete): kill at once. */
  void onDeleted() {
    forceKill = true;
    if (!terminating) {
      terminating = true;
      thread.execute(() -> terminate(Duration.ZERO, false));
    }
  }

  /** Sandbox shutdown: stop within {@code grace}, keep the API object (the API server goes away too). */
  void shutdown(Duration grace) {
    terminating = true;
    try {
      thread.submit(() -> terminate(grace, false)).get(grace.toMillis() + 15_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      forceKill = true;
      stopContainers(Duration.ZERO);
      cleanup();
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("pod {}: kubelet sync failed: {}", key, e.toString());
    }
  }

  private synchronized void tick() {
    if (terminating) {
      return;
    }
    long now = System.currentTimeMillis();
    if (!prepared) {
      try {
        prepare();
        prepared = true;
        pendingMessage = null;
      } catch (EnvResolver.MissingReference e) {
        pendingMessage = e.getMessage();
        writeStatus();
        return;
      }
    } else if (now - lastVolumeSync >= VOLUME_SYNC_MILLIS) {
      lastVolumeSync = now;
      syncProjectedVolumes(now);
    }
    Duration grace = Duration.ofSeconds(Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds())
        .orElse(30L));
    for (ContainerRuntime container : containers.values()) {
      container.ensureStarted(launchFor(container.container()), now);
      container.tick(kubelet.prober(), podIp, now, grace, () -> forceKill || terminating);
    }
    writeStatus();
  }

  private void prepare() throws EnvResolver.MissingReference {
    Map<String, Path> volumeTargets = new HashMap<>();
    for (Volume volume : volumes()) {
      volumeTargets.put(volume.getName(), volumeTarget(volume));
    }
    for (Volume volume : volumes()) {
      if (ProjectedVolumes.isProjected(volume)) {
        render(volume);
      }
    }
    if (podIp == null) {
      podIp = kubelet.podAddresses().allocate();
      startTime = Instant.now();
    }
    try {
      if (apiServerEndpoint == null) {
        apiServerEndpoint = openApiServerEndpoint();
      }
      Files.createDirectories(root);
      Files.createDirectories(kubelet.logsDir(pod));
      for (Volume volume : volumes()) {
        Path target = volumeTargets.get(volume.getName());
        Files.createDirectories(target);
        if (ProjectedVolumes.isProjected(volume)) {
          Map<String, FileContent> files = render(volume);
          AtomicWriter.write(target, files);
          projectedWritten.put(volume.getName(), files);
        }
      }
      for (Container container : pod.getSpec().getContainers()) {
        if (container.getVolumeMounts() != null) {
          for (VolumeMount mount : container.getVolumeMounts()) {
            Path target = volumeTargets.get(mount.getName());
            if (target == null) {
              throw new EnvResolver.MissingReference("volume mount " + mount.getName() + " has no volume");
            }
            if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
              target = target.resolve(mount.getSubPath());
              Files.createDirectories(target);
            }
            link(mount.getMountPath(), target);
          }
        }
        containers.computeIfAbsent(container.getName(), n -> new ContainerRuntime(container, key, kubelet.state(),
            root, kubelet.logsDir(pod).resolve(n + ".log"), kubelet.config().crashBackoffCap()));
      }
      if (kubelet.podApi().mountsServiceAccountDirectory()
          && !Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken())
          && !Files.exists(rootPath(InstanceLayout.SERVICE_ACCOUNT_DIR))) {
        Path dir = podDir.resolve("volumes").resolve(SERVICE_ACCOUNT_VOLUME);
        AtomicWriter.write(dir, Map.of(
            "token", new FileContent(kubelet.podApi().placeholderToken(pod).getBytes(StandardCharsets.UTF_8), 0644),
            "namespace", new FileContent(pod.getMetadata().getNamespace().getBytes(StandardCharsets.UTF_8), 0644),
            "ca.crt", new FileContent(new byte[0], 0644)));
        link(InstanceLayout.SERVICE_ACCOUNT_DIR, dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.info("pod {} ({}) gets address {}, API server endpoint {}", key, uid, podIp, apiServerUrl());
  }

  /** The pod's own way to the API server, on its address, so a partition can cut it by destination. */
  private PortForwarder openApiServerEndpoint() throws IOException {
    InetSocketAddress apiServer = kubelet.config().apiServerAddress();
    PortForwarder endpoint = new PortForwarder("pod " + key + " API server endpoint",
        new InetSocketAddress(podIp, Kubelet.POD_API_SERVER_PORT), () -> List.of(apiServer),
        InetAddress.getByName(kubelet.config().nodeAddress()), kubelet.forwarderThreads());
    endpoint.start();
    return endpoint;
  }

  private String apiServerUrl() {
    return podIp + ":" + Kubelet.POD_API_SERVER_PORT;
  }

  /** What the pod's API server endpoint forwarded so far, or empty before the pod has an address. */
  Optional<PortForwarder.Traffic> apiServerTraffic() {
    return Optional.ofNullable(apiServerEndpoint).map(PortForwarder::traffic);
  }

  private List<Volume> volumes() {
    return pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
  }

  private Path volumeTarget(Volume volume) throws EnvResolver.MissingReference {
    if (volume.getPersistentVolumeClaim() != null) {
      String claim = volume.getPersistentVolumeClaim().getClaimName();
      Optional<PersistentVolumeClaim> pvc = kubelet.claim(pod.getMetadata().getNamespace(), claim);
      if (pvc.isEmpty() || pvc.get().getMetadata().getDeletionTimestamp() != null) {
        throw new EnvResolver.MissingReference("persistentvolumeclaim \"" + claim + "\" not found");
      }
      Path dir = kubelet.claimDir(pvc.get());
      mountedClaims.add(dir);
      return dir;
    }
    if (volume.getHostPath() != null) {
      return Path.of(volume.getHostPath().getPath());
    }
    if (volume.getEmptyDir() != null || ProjectedVolumes.isProjected(volume)) {
      return podDir.resolve("volumes").resolve(volume.getName());
    }
    throw new EnvResolver.MissingReference("volume " + volume.getName() + ": type not supported by the sandbox");
  }

  private Map<String, FileContent> render(Volume volume) throws EnvResolver.MissingReference {
    return ProjectedVolumes.render(pod, volume, podIp, kubelet.config().nodeAddress(), kubelet.objects(),
        projection -> kubelet.podApi().serviceAccountToken(pod, projection));
  }

  /** Swaps a projected volume when its source changed, after the configured delay (as the kubelet's sync period). */
  private void syncProjectedVolumes(long now) {
    for (Volume volume : volumes()) {
      if (!ProjectedVolumes.isProjected(volume)) {
        continue;
      }
      Map<String, FileContent> files;
      try {
        files = render(volume);
      } catch (EnvResolver.MissingReference e) {
        continue; // a deleted Secret leaves the last projected content in place, as in Kubernetes
      }
      if (files.equals(projectedWritten.get(volume.getName()))) {
        projectedPendingSince.remove(volume.getName());
        continue;
      }
      long since = projectedPendingSince.computeIfAbsent(volume.getName(), n -> now);
      if (now - since >= kubelet.config().projectedUpdateDelay().toMillis()) {
        AtomicWriter.write(podDir.resolve("volumes").resolve(volume.getName()), files);
        projectedWritten.put(volume.getName(), files);
        projectedPendingSince.remove(volume.getName());
        log.info("pod {}: volume {} updated", key, volume.getName());
      }
    }
  }

  private ContainerRuntime.Launch launchFor(Container container) {
    return new ContainerRuntime.Launch() {
      @Override
      public List<String> argv() throws EnvResolver.MissingReference {
        return ContainerCommand.argv(container, containerEnv(), kubelet.config());
      }

      @Override
      public Map<String, String> env() throws EnvResolver.MissingReference {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin"));
        env.put("LANG", "C.UTF-8");
        env.put("HOME", root.toString());
        env.put("HOSTNAME", pod.getMetadata().getName());
        env.put("KUBERNETES_NAMESPACE", pod.getMetadata().getNamespace());
        try {
          env.putAll(kubelet.podApi().env(podIp, root, podDir));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        env.putAll(containerEnv());
        env.put(InstanceLayout.ENV_FS_ROOT, root.toString());
        env.put(StateDir.ENV_INSTANCE, kubelet.state().dir().toString());
        return env;
      }

      private Map<String, String> containerEnv() throws EnvResolver.MissingReference {
        return EnvResolver.resolve(pod, container, podIp, kubelet.config().nodeAddress(), kubelet.objects());
      }
    };
  }

  private void writeStatus() {
    PodStatus status = buildStatus();
    String json = Serialization.asJson(status);
    if (json.equals(lastStatusJson)) {
      return;
    }
    String patch = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + json + "}]";
    try {
      kubelet.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
          .subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
      lastStatusJson = json;
      lastReady = readyOf(status);
    } catch (KubernetesClientException e) {
      log.warn("pod {}: status update failed: {}", key, e.getMessage());
    }
  }

  private static String readyOf(PodStatus status) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(io.fabric8.kubernetes.api.model.PodCondition::getStatus).findFirst().orElse(null);
  }

  private PodStatus buildStatus() {
    boolean allStarted = !containers.isEmpty() && containers.values().stream().allMatch(ContainerRuntime::isRunning)
        || containers.values().stream().anyMatch(c -> c.restartCount() > 0);
    boolean allReady = !containers.isEmpty() && containers.values().stream().allMatch(ContainerRuntime::isReady);
    PodStatusBuilder b = new PodStatusBuilder()
        .withPhase(prepared && allStarted ? "Running" : "Pending")
        .withHostIP(kubelet.config().nodeAddress())
        .withQosClass(Optional.ofNullable(pod.getStatus()).map(PodStatus::getQosClass).orElse("BestEffort"));
    if (podIp != null) {
      b.withPodIP(podIp).withPodIPs(new PodIPBuilder().withIp(podIp).build())
          .withStartTime(ContainerRuntime.ts(startTime));
    }
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", true, null));
    conditions.add(condition("Initialized", true, null));
    conditions.add(condition("ContainersReady", allReady, allReady ? null : "ContainersNotReady"));
    conditions.add(condition("Ready", allReady, allReady ? null : "ContainersNotReady"));
    b.withConditions(conditions);
    if (pendingMessage != null) {
      b.withMessage(pendingMessage).withReason("ContainerCreating");
    }
    List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>();
    for (Container c : pod.getSpec().getContainers()) {
      ContainerRuntime runtime = containers.get(c.getName());
      if (runtime != null) {
        statuses.add(runtime.status(c.getImage()));
      }
    }
    b.withContainerStatuses(statuses);
    return b.build();
  }

  private PodCondition condition(String type, boolean value, String reason) {
    String status = value ? "True" : "False";
    Instant since = conditionSince.compute(type + "=" + status, (k, v) -> v == null ? Instant.now() : v);
    conditionSince.remove(type + "=" + (value ? "False" : "True"));
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .withLastTransitionTime(ContainerRuntime.ts(since)).build();
  }

  private void terminate(Duration grace, boolean removeObject) {
    log.info("pod {} ({}): stopping, grace {}s", key, uid, grace.toSeconds());
    stopContainers(grace);
    releaseResources();
    // As the kubelet: the object goes only once containers are gone and volumes are torn down.
    if (removeObject) {
      kubelet.removeObjectIfSameUid(pod);
    }
    cleanup();
  }

  private synchronized void stopContainers(Duration grace) {
    List<Thread> stoppers = new ArrayList<>();
    for (ContainerRuntime c : containers.values()) {
      c.markFinal();
      Thread t = new Thread(() -> c.stop(grace, () -> forceKill), "stop-" + c.name());
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized void releaseResources() {
    PortForwarder endpoint = apiServerEndpoint;
    if (endpoint != null) {
      endpoint.close();
    }
    if (podIp != null) {
      kubelet.podAddresses().release(podIp);
    }
    StateDir.deleteRecursively(podDir);
  }

  boolean mounts(Path claimVolume) {
    return mountedClaims.contains(claimVolume);
  }

  private void cleanup() {
    releaseResources();
    kubelet.podApi().forget(uid);
    kubelet.forget(this);
    mountedClaims.forEach(kubelet::releaseVolumeIfUnused);
    thread.shutdown();
  }

  private void link(String mountPath, Path target) throws IOException {
    Path link = rootPath(mountPath);
    Files.createDirectories(link.getParent());
    if (Files.isSymbolicLink(link)) {
      Files.delete(link);
    } else if (Files.isDirectory(link)) {
      StateDir.deleteRecursively(link);
    }
    Files.createSymbolicLink(link, target);
  }

  private Path rootPath(String absolute) {
    return root.resolve(absolute.replaceFirst("^/+", ""));
  }
}
