package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import java.util.List;
import java.util.Map;

/**
 * Metadata shared by everything the controller creates for a cluster: namespace, labels, controller
 * owner ref.
 */
public final class Owners {
  private Owners() {}

  public static OwnerReference controllerRef(RedisCluster cluster) {
    return new OwnerReferenceBuilder()
        .withApiVersion(RedisCluster.API_VERSION)
        .withKind(RedisCluster.KIND)
        .withName(cluster.getMetadata().getName())
        .withUid(cluster.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Metadata of an owned object labelled as belonging to the cluster. */
  public static ObjectMeta owned(RedisCluster cluster, String name) {
    return owned(cluster, name, Labels.forCluster(cluster.getMetadata().getName()));
  }

  public static ObjectMeta owned(RedisCluster cluster, String name, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(cluster.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(List.of(controllerRef(cluster)))
        .build();
  }
}
