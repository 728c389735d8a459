package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic provisioner for a real API server: every claim without a volume gets a PersistentVolume
 * of its own (a directory of the sandbox, {@code hostPath}), pre-bound to the claim through {@code
 * claimRef}, which the controller-manager's PersistentVolume binder then binds as it does any
 * pre-bound volume. The volume is deleted with its claim (the directory by the kubelet, once no pod
 * uses it).
 */
final class VolumeProvisioner {
  private static final Logger log = LoggerFactory.getLogger(VolumeProvisioner.class);
  static final String PROVISIONED_BY = "redis-sandbox.io/provisioned-by";

  private final KubernetesClient client;
  private final Function<PersistentVolumeClaim, Path> directoryOf;

  VolumeProvisioner(KubernetesClient client, Function<PersistentVolumeClaim, Path> directoryOf) {
    this.client = client;
    this.directoryOf = directoryOf;
  }

  static String volumeName(PersistentVolumeClaim claim) {
    return "pvc-" + claim.getMetadata().getUid();
  }

  void provision(PersistentVolumeClaim claim) {
    if (claim.getMetadata().getDeletionTimestamp() != null
        || claim.getSpec() == null
        || (claim.getSpec().getVolumeName() != null
            && !claim.getSpec().getVolumeName().isEmpty())) {
      return;
    }
    Map<String, Quantity> requested =
        claim.getSpec().getResources() == null
            ? Map.of()
            : Optional.ofNullable(claim.getSpec().getResources().getRequests()).orElse(Map.of());
    PersistentVolume volume =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(volumeName(claim))
            .addToAnnotations(PROVISIONED_BY, "sandbox-kubelet")
            .endMetadata()
            .withNewSpec()
            .withCapacity(Map.of("storage", requested.getOrDefault("storage", new Quantity("1Gi"))))
            .withAccessModes(
                Optional.ofNullable(claim.getSpec().getAccessModes())
                    .orElse(List.of("ReadWriteOnce")))
            .withStorageClassName(
                Optional.ofNullable(claim.getSpec().getStorageClassName()).orElse(""))
            .withVolumeMode(
                Optional.ofNullable(claim.getSpec().getVolumeMode()).orElse("Filesystem"))
            .withPersistentVolumeReclaimPolicy("Retain")
            .withNewHostPath()
            .withPath(directoryOf.apply(claim).toString())
            .withType("DirectoryOrCreate")
            .endHostPath()
            .withNewClaimRef()
            .withApiVersion("v1")
            .withKind("PersistentVolumeClaim")
            .withNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName())
            .withUid(claim.getMetadata().getUid())
            .endClaimRef()
            .endSpec()
            .build();
    try {
      client.persistentVolumes().resource(volume).create();
      log.info(
          "volume {} provisioned for claim {}/{}",
          volume.getMetadata().getName(),
          claim.getMetadata().getNamespace(),
          claim.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        log.warn(
            "cannot provision a volume for claim {}/{}: {}",
            claim.getMetadata().getNamespace(),
            claim.getMetadata().getName(),
            e.getMessage());
      }
    }
  }

  /**
   * The claim is gone: its volume object goes too (reclaim policy Retain keeps the binder from
   * acting on it).
   */
  void release(PersistentVolumeClaim claim) {
    try {
      client.persistentVolumes().withName(volumeName(claim)).delete();
    } catch (KubernetesClientException e) {
      log.warn("cannot delete volume {}: {}", volumeName(claim), e.getMessage());
    }
  }
}
