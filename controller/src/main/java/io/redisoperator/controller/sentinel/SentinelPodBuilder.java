package io.redisoperator.controller.sentinel;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.redisoperator.controller.resources.AgentPodParts;
import io.redisoperator.controller.resources.InstancePodBuilder;
import io.redisoperator.controller.resources.PodSpecHash;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sentinel pod {@code <cluster>-sentinel-<n>}: the same image, resources, scheduling, service
 * account and security context as the data pods, running {@code instance --role=sentinel}. Sentinel
 * state is not worth keeping (the agent re-renders it from the recorded primary at every start), so
 * /data is an emptyDir. Only the auth password, Sentinel's admin password and, with spec.tls,
 * Redis' TLS files (the data pods' certificate) are projected; the agent API certificate and the
 * settings ConfigMap are data-pod concerns (a sentinel pod serves no agent API, only probes and
 * metrics). Its annotations are the data pods' but the ordinal: the spec hash and the restart
 * request it was built for.
 */
public final class SentinelPodBuilder {
  /**
   * Three sentinels: a majority survives the loss of one, and clients get more than one address to
   * ask.
   */
  public static final int SENTINELS = 3;

  public static final String CONTAINER = "sentinel";
  static final String VOLUME_DATA = "data";
  static final String VOLUME_AUTH = "auth";
  static final String VOLUME_SENTINEL_AUTH = "sentinel-auth";

  private SentinelPodBuilder() {}

  public static Pod build(
      RedisCluster cluster, int n, String operatorAuthSecret, String operatorImage) {
    String clusterName = cluster.getMetadata().getName();
    String podName = ResourceNames.sentinelPodName(clusterName, n);
    PodSpec spec = spec(cluster, n, operatorAuthSecret, operatorImage);
    return AgentPodParts.pod(
        cluster,
        podName,
        labels(clusterName, podName),
        PodSpecHash.podAnnotations(spec, cluster),
        spec);
  }

  /**
   * The hash a sentinel pod must carry to be up to date (images, resources, scheduling, secret
   * name, restarts).
   */
  public static String desiredHash(
      RedisCluster cluster, int n, String operatorAuthSecret, String operatorImage) {
    return PodSpecHash.of(spec(cluster, n, operatorAuthSecret, operatorImage), cluster);
  }

  /** Cluster labels plus workload=sentinel and role=sentinel: no data-pod selector matches them. */
  public static Map<String, String> labels(String cluster, String podName) {
    Map<String, String> labels = Labels.forCluster(cluster);
    labels.put(Labels.INSTANCE, podName);
    labels.put(Labels.WORKLOAD, Labels.WORKLOAD_SENTINEL);
    labels.put(Labels.ROLE, Labels.ROLE_SENTINEL);
    return labels;
  }

  static PodSpec spec(
      RedisCluster cluster, int n, String operatorAuthSecret, String operatorImage) {
    String clusterName = cluster.getMetadata().getName();
    return AgentPodParts.podSpec(
        cluster,
        ResourceNames.sentinelPodName(clusterName, n),
        operatorImage,
        container(cluster),
        volumes(cluster, operatorAuthSecret, ResourceNames.sentinelAuthSecret(clusterName)));
  }

  private static Container container(RedisCluster cluster) {
    List<VolumeMount> mounts = new ArrayList<>(AgentPodParts.agentMounts());
    mounts.add(AgentPodParts.mount(VOLUME_DATA, InstanceLayout.DATA_DIR, false));
    mounts.add(AgentPodParts.mount(VOLUME_AUTH, InstanceLayout.AUTH_DIR, true));
    mounts.add(AgentPodParts.mount(VOLUME_SENTINEL_AUTH, InstanceLayout.SENTINEL_AUTH_DIR, true));
    List<String> command =
        new ArrayList<>(
            List.of(InstanceLayout.AGENT_COMMAND, "instance", InstanceLayout.SENTINEL_ROLE_ARG));
    if (cluster.getSpec().getTls() != null) {
      mounts.add(
          AgentPodParts.mount(
              InstancePodBuilder.VOLUME_REDIS_TLS, InstanceLayout.REDIS_TLS_DIR, true));
      command.add(InstanceLayout.SENTINEL_TLS_ARG);
    }
    return AgentPodParts.agentContainer(cluster, CONTAINER)
        .withCommand(command)
        .withPorts(
            AgentPodParts.port(AgentApi.PORT_NAME_PROBES, AgentApi.PROBE_PORT),
            AgentPodParts.port(AgentApi.PORT_NAME_SENTINEL, AgentApi.SENTINEL_PORT))
        .withReadinessProbe(AgentPodParts.sentinelReadinessProbe())
        .withVolumeMounts(mounts)
        .build();
  }

  private static List<Volume> volumes(
      RedisCluster cluster, String operatorAuthSecret, String adminSecretName) {
    List<Volume> volumes = new ArrayList<>(AgentPodParts.agentVolumes());
    if (cluster.getSpec().getTls() != null) {
      volumes.add(InstancePodBuilder.redisTls(cluster));
    }
    volumes.add(new VolumeBuilder().withName(VOLUME_DATA).withNewEmptyDir().endEmptyDir().build());
    // The data pods' Sentinel user's password (Sentinel's auth-user/auth-pass), read by the agent
    // as "password".
    volumes.add(
        AgentPodParts.projectedSecretFile(
            VOLUME_AUTH,
            operatorAuthSecret,
            OperatorUsers.KEY_SENTINEL,
            InstanceLayout.SECRET_KEY_PASSWORD));
    // Sentinel's admin password: what lets an agent reconfigure its Sentinel, so only sentinel pods
    // hold it.
    volumes.add(
        AgentPodParts.projectedSecretFile(
            VOLUME_SENTINEL_AUTH,
            adminSecretName,
            InstanceLayout.SECRET_KEY_PASSWORD,
            InstanceLayout.SECRET_KEY_PASSWORD));
    return volumes;
  }
}
