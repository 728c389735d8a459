package io.redisoperator.controller.backup;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.RestoreSource;
import io.redisoperator.protocol.crd.BackupObjectSource;
import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.BootstrapSpec;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure: the {@code <cluster>-restore} ConfigMap a cluster with spec.bootstrap needs before its pods
 * can start, or why it cannot be written yet (the named backup is missing or not Completed). Its
 * pods mount it, so none starts (least of all an empty primary) before it exists.
 */
public final class RestoreSources {
  private RestoreSources() {}

  /** Either the source or the reason there is none yet. */
  public record Resolution(RestoreSource source, String problem) {}

  public static Resolution resolve(BootstrapSpec bootstrap, List<RedisBackup> namespaceBackups) {
    if (bootstrap.getSource() != null) {
      BackupObjectSource s = bootstrap.getSource();
      return new Resolution(
          new RestoreSource(
              ObjectKeys.location(s.getStore(), s.getKey()), s.getMethod(), s.getSha256()),
          null);
    }
    if (bootstrap.getBackup() == null) {
      return new Resolution(null, "spec.bootstrap names neither backup nor source");
    }
    String name = bootstrap.getBackup().getName();
    Optional<RedisBackup> backup =
        namespaceBackups.stream().filter(b -> b.getMetadata().getName().equals(name)).findFirst();
    if (backup.isEmpty()) {
      return new Resolution(
          null, "RedisBackup " + name + " (spec.bootstrap.backup) does not exist");
    }
    RedisBackup b = backup.get();
    if (BackupAdmission.phase(b) != BackupPhase.COMPLETED || b.getStatus().getObjectKey() == null) {
      return new Resolution(
          null, "RedisBackup " + name + " is " + BackupAdmission.phase(b) + ", not Completed");
    }
    return new Resolution(
        new RestoreSource(
            ObjectKeys.location(b.getSpec().getDestination(), b.getStatus().getObjectKey()),
            b.getSpec().getMethod(),
            b.getStatus().getSha256()),
        null);
  }

  public static ConfigMap configMap(RedisCluster cluster, RestoreSource source) {
    String name = cluster.getMetadata().getName();
    String json;
    try {
      json = Json.mapper().writeValueAsString(source);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("RestoreSource always serializes", e);
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ResourceNames.restoreConfigMap(name))
        .withNamespace(cluster.getMetadata().getNamespace())
        .withLabels(Labels.forCluster(name))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(RedisCluster.API_VERSION)
                .withKind(RedisCluster.KIND)
                .withName(name)
                .withUid(cluster.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withData(Map.of(InstanceLayout.RESTORE_KEY, json))
        .build();
  }
}
