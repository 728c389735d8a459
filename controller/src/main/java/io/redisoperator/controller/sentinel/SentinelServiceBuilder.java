package io.redisoperator.controller.sentinel;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.redisoperator.controller.resources.Owners;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <cluster>-sentinel}: where Sentinel-aware clients ask for the primary (master name =
 * cluster name).
 */
public final class SentinelServiceBuilder {
  private SentinelServiceBuilder() {}

  public static Service build(RedisCluster cluster) {
    String name = cluster.getMetadata().getName();
    return new ServiceBuilder()
        .withMetadata(Owners.owned(cluster, ResourceNames.sentinelService(name)))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector(name))
        .withPorts(ports())
        .endSpec()
        .build();
  }

  /**
   * Equality selector (cluster + workload=sentinel): only ready sentinel pods, never a data pod.
   */
  public static Map<String, String> selector(String cluster) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(Labels.CLUSTER, cluster);
    selector.put(Labels.WORKLOAD, Labels.WORKLOAD_SENTINEL);
    return selector;
  }

  public static List<ServicePort> ports() {
    return List.of(
        new ServicePortBuilder()
            .withName(AgentApi.PORT_NAME_SENTINEL)
            .withPort(AgentApi.SENTINEL_PORT)
            .withTargetPort(new IntOrString(AgentApi.PORT_NAME_SENTINEL))
            .withProtocol("TCP")
            .build());
  }
}
