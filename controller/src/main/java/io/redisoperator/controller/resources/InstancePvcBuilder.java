package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.StorageSpec;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.List;
import java.util.Map;

/**
 * The PVC {@code <cluster>-data-<n>}. It has no owner reference unless the cluster asks for its
 * PVCs to be deleted with it, so by default the data outlives the RedisCluster.
 */
public final class InstancePvcBuilder {
  private InstancePvcBuilder() {}

  public static PersistentVolumeClaim build(RedisCluster cluster, int ordinal) {
    String clusterName = cluster.getMetadata().getName();
    StorageSpec storage =
        cluster.getSpec().getStorage() == null ? new StorageSpec() : cluster.getSpec().getStorage();
    ObjectMeta meta =
        Owners.owned(
            cluster,
            ResourceNames.pvcName(clusterName, ordinal),
            Labels.forDataInstance(clusterName, ResourceNames.podName(clusterName, ordinal)));
    meta.setAnnotations(Map.of(Annotations.ORDINAL, Integer.toString(ordinal)));
    if (!deletePvcsWithCluster(cluster)) {
      meta.setOwnerReferences(List.of());
    }
    return new PersistentVolumeClaimBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(storage.getStorageClassName())
        .withNewResources()
        .withRequests(
            Map.of("storage", new Quantity(storage.getSize() == null ? "1Gi" : storage.getSize())))
        .endResources()
        .endSpec()
        .build();
  }

  static boolean deletePvcsWithCluster(RedisCluster cluster) {
    Map<String, String> annotations = cluster.getMetadata().getAnnotations();
    return annotations != null
        && "true".equalsIgnoreCase(annotations.get(Annotations.DELETE_PVCS_ON_DELETE));
  }
}
