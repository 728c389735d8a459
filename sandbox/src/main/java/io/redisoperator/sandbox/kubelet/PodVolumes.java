package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.sandbox.state.StateDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's volumes under its per-pod root: claims bound to their provisioned directories, emptyDirs
 * and projected volumes (Secrets, ConfigMaps, downward API, service-account tokens) in the pod's
 * directory, each mounted by a symbolic link at its mount path. Projected volumes are swapped
 * atomically when their sources change, after the configured delay, as the kubelet's sync period
 * does.
 */
final class PodVolumes {
  private static final Logger log = LoggerFactory.getLogger(PodVolumes.class);
  private static final String SERVICE_ACCOUNT_VOLUME = "kube-api-access-sandbox";

  private final Kubelet kubelet;
  private final Supplier<Pod> pod;
  private final String key;
  private final Path podDir;
  private final Path root;
  private final Map<String, Map<String, FileContent>> projectedWritten = new HashMap<>();
  private final Map<String, Long> projectedPendingSince = new HashMap<>();
  private final Set<Path> mountedClaims = ConcurrentHashMap.newKeySet();

  PodVolumes(Kubelet kubelet, Supplier<Pod> pod, String key, Path podDir, Path root) {
    this.kubelet = kubelet;
    this.pod = pod;
    this.key = key;
    this.podDir = podDir;
    this.root = root;
  }

  /**
   * Where each volume lives, checking that every source exists (a missing claim, Secret or
   * ConfigMap keeps the pod pending with the returned reason, as {@code ContainerCreating}).
   */
  Map<String, Path> resolve(String podIp) throws EnvResolver.MissingReference {
    Map<String, Path> targets = new HashMap<>();
    for (Volume volume : volumes()) {
      targets.put(volume.getName(), target(volume));
    }
    for (Volume volume : volumes()) {
      if (ProjectedVolumes.isProjected(volume)) {
        render(volume, podIp);
      }
    }
    return targets;
  }

  /**
   * Creates the volumes, writes the projected ones and links every container's mounts into the
   * pod's root.
   */
  void mount(Map<String, Path> targets, String podIp)
      throws IOException, EnvResolver.MissingReference {
    for (Volume volume : volumes()) {
      Path target = targets.get(volume.getName());
      Files.createDirectories(target);
      if (ProjectedVolumes.isProjected(volume)) {
        Map<String, FileContent> files = render(volume, podIp);
        AtomicWriter.write(target, files);
        projectedWritten.put(volume.getName(), files);
      }
    }
    for (Container container : pod.get().getSpec().getContainers()) {
      if (container.getVolumeMounts() == null) {
        continue;
      }
      for (VolumeMount mount : container.getVolumeMounts()) {
        Path target = targets.get(mount.getName());
        if (target == null) {
          throw new EnvResolver.MissingReference(
              "volume mount " + mount.getName() + " has no volume");
        }
        if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
          target = target.resolve(mount.getSubPath());
          Files.createDirectories(target);
        }
        link(mount.getMountPath(), target);
      }
    }
  }

  /**
   * Without a token volume in the spec, the API's mode may still mount a service-account directory.
   */
  void mountServiceAccountDirectory() throws IOException {
    Pod p = pod.get();
    if (kubelet.podApi().mountsServiceAccountDirectory()
        && !Boolean.FALSE.equals(p.getSpec().getAutomountServiceAccountToken())
        && !Files.exists(rootPath(InstanceLayout.SERVICE_ACCOUNT_DIR))) {
      Path dir = podDir.resolve("volumes").resolve(SERVICE_ACCOUNT_VOLUME);
      AtomicWriter.write(
          dir,
          Map.of(
              "token",
                  new FileContent(
                      kubelet.podApi().placeholderToken(p).getBytes(StandardCharsets.UTF_8), 0644),
              "namespace",
                  new FileContent(
                      p.getMetadata().getNamespace().getBytes(StandardCharsets.UTF_8), 0644),
              "ca.crt", new FileContent(new byte[0], 0644)));
      link(InstanceLayout.SERVICE_ACCOUNT_DIR, dir);
    }
  }

  /**
   * Swaps a projected volume when its source changed, after the configured delay (as the kubelet's
   * sync period).
   */
  void syncProjected(long now, String podIp) {
    for (Volume volume : volumes()) {
      if (!ProjectedVolumes.isProjected(volume)) {
        continue;
      }
      Map<String, FileContent> files;
      try {
        files = render(volume, podIp);
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

  boolean mounts(Path claimVolume) {
    return mountedClaims.contains(claimVolume);
  }

  /** The claim directories this pod mounted, to release once it is gone. */
  Set<Path> claims() {
    return mountedClaims;
  }

  private List<Volume> volumes() {
    List<Volume> volumes = pod.get().getSpec().getVolumes();
    return volumes == null ? List.of() : volumes;
  }

  private Path target(Volume volume) throws EnvResolver.MissingReference {
    if (volume.getPersistentVolumeClaim() != null) {
      String claim = volume.getPersistentVolumeClaim().getClaimName();
      Optional<PersistentVolumeClaim> pvc =
          kubelet.claim(pod.get().getMetadata().getNamespace(), claim);
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
    throw new EnvResolver.MissingReference(
        "volume " + volume.getName() + ": type not supported by the sandbox");
  }

  private Map<String, FileContent> render(Volume volume, String podIp)
      throws EnvResolver.MissingReference {
    Pod p = pod.get();
    return ProjectedVolumes.render(
        p,
        volume,
        podIp,
        kubelet.config().nodeAddress(),
        kubelet.objects(),
        projection -> kubelet.podApi().serviceAccountToken(p, projection));
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
