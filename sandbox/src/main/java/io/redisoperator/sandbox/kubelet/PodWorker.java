package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.sandbox.network.PortForwarder;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * One pod incarnation (one uid) on the sandbox node, driven by its own thread: sets up its volumes
 * ({@link PodVolumes}) under a per-pod root directory, gets a fresh loopback address, runs its
 * containers, probes them, reports status ({@link PodStatusReporter}) and on deletion stops the
 * containers within the grace period and removes the object.
 */
final class PodWorker {
  private static final Logger log = LoggerFactory.getLogger(PodWorker.class);
  private static final long TICK_MILLIS = 200;
  private static final long VOLUME_SYNC_MILLIS = 500;

  private final Kubelet kubelet;
  private final String uid;
  private final String key;
  private final ScheduledExecutorService thread;
  private final Path podDir;
  private final Path root;
  private final Map<String, ContainerRuntime> containers = new LinkedHashMap<>();
  private final PodVolumes volumes;
  private final PodStatusReporter status;
  private volatile Pod pod;
  private volatile boolean terminating;
  private volatile boolean forceKill;
  private volatile PortForwarder apiServerEndpoint;
  private String podIp;
  private Instant startTime;
  private boolean prepared;
  private String pendingMessage;
  private long lastVolumeSync;

  PodWorker(Kubelet kubelet, Pod pod) {
    this.kubelet = kubelet;
    this.pod = pod;
    this.uid = pod.getMetadata().getUid();
    this.key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    this.podDir = kubelet.state().podsDir().resolve(uid);
    this.root = podDir.resolve("root");
    this.volumes = new PodVolumes(kubelet, () -> this.pod, key, podDir, root);
    this.status = new PodStatusReporter(key);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
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
    containers.forEach(
        (name, c) -> {
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
    status.onApiView(updated);
    if (updated.getMetadata().getDeletionTimestamp() != null && !terminating) {
      terminating = true;
      long grace =
          Optional.ofNullable(updated.getMetadata().getDeletionGracePeriodSeconds()).orElse(30L);
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

  /**
   * Sandbox shutdown: stop within {@code grace}, keep the API object (the API server goes away
   * too).
   */
  void shutdown(Duration grace) {
    terminating = true;
    try {
      thread
          .submit(() -> terminate(grace, false))
          .get(grace.toMillis() + 15_000, TimeUnit.MILLISECONDS);
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
      volumes.syncProjected(now, podIp);
    }
    Duration grace =
        Duration.ofSeconds(
            Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L));
    for (ContainerRuntime container : containers.values()) {
      container.ensureStarted(launchFor(container.container()), now);
      container.tick(kubelet.prober(), podIp, now, grace, () -> forceKill || terminating);
    }
    writeStatus();
  }

  private void prepare() throws EnvResolver.MissingReference {
    Map<String, Path> volumeTargets = volumes.resolve(podIp);
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
      volumes.mount(volumeTargets, podIp);
      for (Container container : pod.getSpec().getContainers()) {
        containers.computeIfAbsent(
            container.getName(),
            n ->
                new ContainerRuntime(
                    container,
                    key,
                    kubelet.state(),
                    root,
                    kubelet.logsDir(pod).resolve(n + ".log"),
                    kubelet.config().crashBackoffCap()));
      }
      volumes.mountServiceAccountDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.info(
        "pod {} ({}) gets address {}, API server endpoint {}", key, uid, podIp, apiServerUrl());
  }

  /**
   * The pod's own way to the API server, on its address, so a partition can cut it by destination.
   */
  private PortForwarder openApiServerEndpoint() throws IOException {
    InetSocketAddress apiServer = kubelet.config().apiServerAddress();
    PortForwarder endpoint =
        new PortForwarder(
            "pod " + key + " API server endpoint",
            new InetSocketAddress(podIp, Kubelet.POD_API_SERVER_PORT),
            () -> List.of(apiServer),
            InetAddress.getByName(kubelet.config().nodeAddress()),
            kubelet.forwarderThreads());
    endpoint.start();
    return endpoint;
  }

  private String apiServerUrl() {
    return podIp + ":" + Kubelet.POD_API_SERVER_PORT;
  }

  /**
   * What the pod's API server endpoint forwarded so far, or empty before the pod has an address.
   */
  Optional<PortForwarder.Traffic> apiServerTraffic() {
    return Optional.ofNullable(apiServerEndpoint).map(PortForwarder::traffic);
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
        env.put(
            "PATH",
            Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin"));
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
        return EnvResolver.resolve(
            pod, container, podIp, kubelet.config().nodeAddress(), kubelet.objects());
      }
    };
  }

  private void writeStatus() {
    status.report(
        kubelet.client(),
        new PodStatusReporter.Snapshot(
            pod,
            containers,
            prepared,
            podIp,
            startTime,
            pendingMessage,
            kubelet.config().nodeAddress()));
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
    containers.values().forEach(ContainerRuntime::markFinal);
    ParallelStop.each(
        containers.values(), c -> "stop-" + c.name(), c -> c.stop(grace, () -> forceKill));
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
    return volumes.mounts(claimVolume);
  }

  private void cleanup() {
    releaseResources();
    kubelet.podApi().forget(uid);
    kubelet.forget(this);
    volumes.claims().forEach(kubelet::releaseVolumeIfUnused);
    thread.shutdown();
  }
}
