package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.StorageType;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data pod {@code <cluster>-<n>}: the agent (copied from the operator image by the bootstrap
 * init container) as entrypoint of the Redis image, identity from the Downward API, secrets as
 * projected volumes (never env), named ports, probes on the agent, a locked-down security context
 * and the spec-hash annotation (which covers the cluster's restart request, also copied onto the
 * pod). The role label is not set here: it follows what the agents report and is managed by the
 * reconcile steps.
 */
public final class InstancePodBuilder {
  public static final String CONTAINER = "redis";
  static final String VOLUME_DATA = "data";
  static final String VOLUME_CONFIG = "config";
  static final String VOLUME_AUTH = "auth";
  static final String VOLUME_ACL = "acl";
  static final String VOLUME_AGENT_TLS = "agent-tls";
  static final String VOLUME_BACKUP_CREDENTIALS = "backup-credentials";
  static final String VOLUME_RESTORE = "restore";
  public static final String VOLUME_REDIS_TLS = "redis-tls";

  private InstancePodBuilder() {}

  public static Pod build(
      RedisCluster cluster, int ordinal, String operatorAuthSecret, String operatorImage) {
    String clusterName = cluster.getMetadata().getName();
    String podName = ResourceNames.podName(clusterName, ordinal);
    PodSpec spec = spec(cluster, ordinal, operatorAuthSecret, operatorImage);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Annotations.ORDINAL, Integer.toString(ordinal));
    annotations.putAll(PodSpecHash.podAnnotations(spec, cluster));
    return AgentPodParts.pod(
        cluster, podName, Labels.forDataInstance(clusterName, podName), annotations, spec);
  }

  /** The hash a pod of this ordinal must carry to be up to date. */
  public static String desiredHash(
      RedisCluster cluster, int ordinal, String operatorAuthSecret, String operatorImage) {
    return PodSpecHash.of(spec(cluster, ordinal, operatorAuthSecret, operatorImage), cluster);
  }

  static PodSpec spec(
      RedisCluster cluster, int ordinal, String operatorAuthSecret, String operatorImage) {
    String clusterName = cluster.getMetadata().getName();
    return AgentPodParts.podSpec(
        cluster,
        ResourceNames.podName(clusterName, ordinal),
        operatorImage,
        container(cluster),
        volumes(cluster, ordinal, operatorAuthSecret));
  }

  private static Container container(RedisCluster cluster) {
    return AgentPodParts.agentContainer(cluster, CONTAINER)
        .withCommand(InstanceLayout.AGENT_COMMAND, "instance")
        .withPorts(
            AgentPodParts.port(AgentApi.PORT_NAME_AGENT, AgentApi.PORT),
            AgentPodParts.port(AgentApi.PORT_NAME_PROBES, AgentApi.PROBE_PORT),
            AgentPodParts.port(AgentApi.PORT_NAME_REDIS, AgentApi.REDIS_PORT))
        .withReadinessProbe(AgentPodParts.readinessProbe())
        .withVolumeMounts(mounts(cluster))
        .build();
  }

  private static List<VolumeMount> mounts(RedisCluster cluster) {
    List<VolumeMount> mounts = new ArrayList<>(AgentPodParts.agentMounts());
    mounts.add(AgentPodParts.mount(VOLUME_DATA, InstanceLayout.DATA_DIR, false));
    mounts.add(AgentPodParts.mount(VOLUME_CONFIG, InstanceLayout.CONFIG_DIR, true));
    mounts.add(AgentPodParts.mount(VOLUME_AUTH, InstanceLayout.AUTH_DIR, true));
    mounts.add(AgentPodParts.mount(VOLUME_ACL, InstanceLayout.ACL_DIR, true));
    mounts.add(AgentPodParts.mount(VOLUME_AGENT_TLS, InstanceLayout.AGENT_TLS_DIR, true));
    if (cluster.getSpec().getBackup() != null) {
      mounts.add(
          AgentPodParts.mount(
              VOLUME_BACKUP_CREDENTIALS, InstanceLayout.BACKUP_CREDENTIALS_DIR, true));
    }
    if (cluster.getSpec().getBootstrap() != null) {
      mounts.add(AgentPodParts.mount(VOLUME_RESTORE, InstanceLayout.RESTORE_DIR, true));
    }
    if (cluster.getSpec().getTls() != null) {
      mounts.add(AgentPodParts.mount(VOLUME_REDIS_TLS, InstanceLayout.REDIS_TLS_DIR, true));
    }
    return mounts;
  }

  private static List<Volume> volumes(
      RedisCluster cluster, int ordinal, String operatorAuthSecret) {
    String clusterName = cluster.getMetadata().getName();
    List<Volume> volumes = new ArrayList<>();
    boolean emptyDir =
        cluster.getSpec().getStorage() != null
            && cluster.getSpec().getStorage().getType() == StorageType.EMPTY_DIR;
    if (emptyDir) {
      volumes.add(
          new VolumeBuilder().withName(VOLUME_DATA).withNewEmptyDir().endEmptyDir().build());
    } else {
      volumes.add(
          new VolumeBuilder()
              .withName(VOLUME_DATA)
              .withNewPersistentVolumeClaim()
              .withClaimName(ResourceNames.pvcName(clusterName, ordinal))
              .endPersistentVolumeClaim()
              .build());
    }
    volumes.add(
        new VolumeBuilder()
            .withName(VOLUME_CONFIG)
            .withNewConfigMap()
            .withName(ResourceNames.configMap(clusterName))
            .endConfigMap()
            .build());
    // The agent's and the replication user's passwords; users' passwords reach the pod only as
    // hashes (the ACL).
    volumes.add(
        AgentPodParts.projectedSecret(
            VOLUME_AUTH,
            operatorAuthSecret,
            InstanceLayout.AUTH_KEY_AGENT,
            InstanceLayout.AUTH_KEY_REPLICATION));
    volumes.add(
        AgentPodParts.projectedSecret(
            VOLUME_ACL, ResourceNames.aclSecret(clusterName), InstanceLayout.ACL_KEY_USERS));
    // Only this pod's own certificate: nothing here authenticates it to a sibling's agent.
    volumes.add(
        AgentPodParts.projectedSecret(
            VOLUME_AGENT_TLS,
            ResourceNames.agentTlsSecret(ResourceNames.podName(clusterName, ordinal)),
            InstanceLayout.SECRET_KEY_TLS_CERT,
            InstanceLayout.SECRET_KEY_TLS_KEY,
            InstanceLayout.SECRET_KEY_CA_CERT));
    if (cluster.getSpec().getBackup() != null) {
      // Object-store credentials as files, rotated live: read afresh by the agent for every
      // transfer.
      volumes.add(
          AgentPodParts.projectedSecret(
              VOLUME_BACKUP_CREDENTIALS,
              cluster.getSpec().getBackup().getCredentialsSecret().getName(),
              InstanceLayout.BACKUP_KEY_ACCESS_KEY_ID,
              InstanceLayout.BACKUP_KEY_SECRET_ACCESS_KEY));
    }
    if (cluster.getSpec().getBootstrap() != null) {
      // Not optional: no pod of a cluster bootstrapped from a backup starts before its restore
      // source exists.
      volumes.add(
          new VolumeBuilder()
              .withName(VOLUME_RESTORE)
              .withNewConfigMap()
              .withName(ResourceNames.restoreConfigMap(clusterName))
              .endConfigMap()
              .build());
    }
    if (cluster.getSpec().getTls() != null) {
      volumes.add(redisTls(cluster));
    }
    volumes.addAll(AgentPodParts.agentVolumes());
    return volumes;
  }

  /**
   * Redis' certificate, key and CA: the operator's one Secret, or the user's server and CA Secrets
   * together. Sentinel pods mount the same (Sentinel serves and speaks TLS with it).
   */
  public static Volume redisTls(RedisCluster cluster) {
    TlsSpec tls = cluster.getSpec().getTls();
    if (tls.operatorManaged()) {
      return AgentPodParts.projectedSecret(
          VOLUME_REDIS_TLS,
          ResourceNames.redisTlsSecret(cluster.getMetadata().getName()),
          InstanceLayout.SECRET_KEY_TLS_CERT,
          InstanceLayout.SECRET_KEY_TLS_KEY,
          InstanceLayout.SECRET_KEY_CA_CERT);
    }
    Volume volume =
        AgentPodParts.projectedSecret(
            VOLUME_REDIS_TLS,
            tls.getServerSecret().getName(),
            InstanceLayout.SECRET_KEY_TLS_CERT,
            InstanceLayout.SECRET_KEY_TLS_KEY);
    volume
        .getProjected()
        .getSources()
        .add(
            AgentPodParts.projectedSecret(
                    "ca", tls.getCaSecret().getName(), InstanceLayout.SECRET_KEY_CA_CERT)
                .getProjected()
                .getSources()
                .get(0));
    return volume;
  }
}
