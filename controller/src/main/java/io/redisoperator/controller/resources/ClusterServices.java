package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three client Services. Only selector and ports are the controller's; clusterIP belongs to the
 * API server.
 */
public final class ClusterServices {
  private ClusterServices() {}

  public static List<Service> build(RedisCluster cluster) {
    String name = cluster.getMetadata().getName();
    return List.of(
        service(
            cluster, ResourceNames.leaderService(name), roleSelector(name, Labels.ROLE_PRIMARY)),
        service(
            cluster, ResourceNames.replicaService(name), roleSelector(name, Labels.ROLE_REPLICA)),
        service(cluster, ResourceNames.anyService(name), workloadSelector(name)));
  }

  static Map<String, String> roleSelector(String cluster, String role) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(Labels.CLUSTER, cluster);
    selector.put(Labels.ROLE, role);
    return selector;
  }

  static Map<String, String> workloadSelector(String cluster) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(Labels.CLUSTER, cluster);
    selector.put(Labels.WORKLOAD, Labels.WORKLOAD_DATA);
    return selector;
  }

  /** Redis' port; in the TLS migration mode (spec.tls.plaintextPort) the plaintext one too. */
  public static List<ServicePort> ports(RedisCluster cluster) {
    List<ServicePort> ports = new java.util.ArrayList<>();
    ports.add(
        new ServicePortBuilder()
            .withName(AgentApi.PORT_NAME_REDIS)
            .withPort(AgentApi.REDIS_PORT)
            .withTargetPort(new IntOrString(AgentApi.PORT_NAME_REDIS))
            .withProtocol("TCP")
            .build());
    Integer plaintext =
        cluster.getSpec().getTls() == null ? null : cluster.getSpec().getTls().getPlaintextPort();
    if (plaintext != null) {
      // By number: the pods declare no such container port, so opening and closing it changes no
      // pod spec.
      ports.add(
          new ServicePortBuilder()
              .withName(AgentApi.PORT_NAME_REDIS_PLAINTEXT)
              .withPort(plaintext)
              .withTargetPort(new IntOrString(plaintext))
              .withProtocol("TCP")
              .build());
    }
    return ports;
  }

  private static Service service(RedisCluster cluster, String name, Map<String, String> selector) {
    return new ServiceBuilder()
        .withMetadata(Owners.owned(cluster, name))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector)
        .withPorts(ports(cluster))
        .endSpec()
        .build();
  }
}
