package io.redisoperator.controller.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.crd.DurabilitySpec;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code <cluster>-config} ConfigMap: the Redis settings every agent applies, live where Redis
 * allows it.
 */
public final class SettingsConfigMapBuilder {
  private SettingsConfigMapBuilder() {}

  public static ConfigMap build(RedisCluster cluster) {
    return new ConfigMapBuilder()
        .withMetadata(
            Owners.owned(cluster, ResourceNames.configMap(cluster.getMetadata().getName())))
        .withData(data(cluster))
        .build();
  }

  /** The ConfigMap's data; sorted keys so equal settings always render to equal text. */
  public static Map<String, String> data(RedisCluster cluster) {
    return Map.of(InstanceLayout.CONFIG_KEY_SETTINGS, settingsJson(settings(cluster)));
  }

  public static InstanceSettings settings(RedisCluster cluster) {
    Map<String, String> directives =
        cluster.getSpec().getRedis() == null
            ? new TreeMap<>()
            : new TreeMap<>(cluster.getSpec().getRedis());
    DurabilitySpec durability = cluster.getSpec().getDurability();
    boolean durable =
        durability != null
            && durability.getMinReplicasToWrite() != null
            && durability.getMinReplicasToWrite() > 0;
    return new InstanceSettings(
        directives,
        durable ? durability.getMinReplicasToWrite() : null,
        durable ? durability.getMinReplicasMaxLagSeconds() : null,
        cluster.getSpec().getTls() != null ? Boolean.TRUE : null,
        cluster.getSpec().getTls() != null ? cluster.getSpec().getTls().getPlaintextPort() : null);
  }

  private static String settingsJson(InstanceSettings settings) {
    try {
      return Json.mapper().writeValueAsString(settings);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("InstanceSettings always serializes", e);
    }
  }
}
