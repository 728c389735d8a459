package io.redisoperator.controller.sentinel;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.redisoperator.controller.resources.InstancePodBuilder;
import io.redisoperator.controller.resources.Owners;
import io.redisoperator.controller.resources.PodSpecHash;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.List;
import java.util.Map;

/**
 * Sentinel pod {@code <cluster>-sentinel-<n>}: the same image, resources, scheduling, service account and security
 * context as the data pods, running {@code instance --role=sentinel}. Sentinel state is not worth keeping (the agent
 * re-renders it from the recorded primary at every start), so /data is an emptyDir. Only the auth password is
 * projected; the agent token and settings ConfigMap are data-pod concerns.
 */
public final class SentinelPodBuilder {
  /** Three sentinels: a majority survives the loss of one, and clients get more than one address to ask. */
  public static final int SENTINELS = 3;
  public static final String CONTAINER = "sentinel";
  static final String VOLUME_DATA = "data";
  static final String VOLUME_AUTH = "auth";
  static final String VOLUME_TMP = "tmp";
  static final String VOLUME_OPERATOR = "operator";

  private SentinelPodBuilder() {}

  public static Pod build(RedisCluster cluster, int n, String authSecretName, String operatorImage) {
    String clusterName = cluster.getMetadata().getName();
    String podName = ResourceNames.sentinelPodName(clusterName, n);
    PodSpec spec = spec(cluster, n, authSecretName, operatorImage);
    return new PodBuilder()
        .withMetadata(Owners.owned(cluster, podName, labels(clusterName, podName)))
        .editMetadata()
        .withAnnotations(Map.of(Annotations.POD_SPEC_HASH, PodSpecHash.of(spec)))
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  /** The hash a sentinel pod must carry to be up to date (images, resources, scheduling, secret name). */
  public static String desiredHash(RedisCluster cluster, int n, String authSecretName, String operatorImage) {
    return PodSpecHash.of(spec(cluster, n, authSecretName, operatorImage));
  }

  /** Cluster labels plus workload=sentinel and role=sentinel: no data-pod selector matches them. */
  public static Map<String, String> labels(String cluster, String podName) {
    Map<String, String> labels = Labels.forCluster(cluster);
    labels.put(Labels.INSTANCE, podName);
    labels.put(Labels.WORKLOAD, Labels.WORKLOAD_SENTINEL);
    labels.put(Labels.ROLE, Labels.ROLE_SENTINEL);
    return labels;
  }

  static PodSpec spec(RedisCluster cluster, int n, String authSecretName, String operatorImage) {
    RedisClusterSpec spec = cluster.getSpec();
    String clusterName = cluster.getMetadata().getName();
    return new PodSpecBuilder()
        .withHostname(ResourceNames.sentinelPodName(clusterName, n))
        // The agent reads the RedisCluster and the primary pod with the data pods' (read-only) RBAC.
        .withServiceAccountName(ResourceNames.serviceAccount(clusterName))
        .withAutomountServiceAccountToken(true)
        // As in data pods: a pause process as PID 1 reaps what the children leave behind; a JVM cannot.
        .withShareProcessNamespace(true)
        .withTerminationGracePeriodSeconds(30L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(InstancePodBuilder.RUN_AS_USER)
        .withRunAsGroup(InstancePodBuilder.RUN_AS_USER)
        .withFsGroup(InstancePodBuilder.RUN_AS_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withInitContainers(bootstrap(cluster, operatorImage))
        .withContainers(container(cluster))
        .withVolumes(volumes(authSecretName))
        .withNodeSelector(spec.getNodeSelector())
        .withAffinity(spec.getAffinity())
        .withTolerations(spec.getTolerations())
        .withTopologySpreadConstraints(spec.getTopologySpreadConstraints())
        .build();
  }

  private static Container container(RedisCluster cluster) {
    RedisClusterSpec spec = cluster.getSpec();
    String image = spec.getImageName() == null ? RedisClusterSpec.DEFAULT_IMAGE : spec.getImageName();
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withCommand(InstanceLayout.AGENT_COMMAND, "instance", InstanceLayout.SENTINEL_ROLE_ARG)
        .addNewPort()
        .withName(AgentApi.PORT_NAME_AGENT)
        .withContainerPort(AgentApi.PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName(AgentApi.PORT_NAME_SENTINEL)
        .withContainerPort(AgentApi.SENTINEL_PORT)
        .withProtocol("TCP")
        .endPort()
        .withEnv(env(cluster.getMetadata().getName()))
        .withResources(spec.getResources())
        .withLivenessProbe(probe(AgentApi.PATH_HEALTHZ, 3))
        .withReadinessProbe(probe(AgentApi.PATH_READYZ, 1))
        .withVolumeMounts(
            mount(VOLUME_OPERATOR, InstanceLayout.BOOTSTRAP_DIR, true),
            new VolumeMountBuilder().withName(VOLUME_DATA).withMountPath(InstanceLayout.DATA_DIR).withReadOnly(false).build(),
            new VolumeMountBuilder().withName(VOLUME_AUTH).withMountPath(InstanceLayout.AUTH_DIR).withReadOnly(true).build(),
            // A read-only root filesystem still needs a scratch directory for the JVM.
            new VolumeMountBuilder().withName(VOLUME_TMP).withMountPath("/tmp").withReadOnly(false).build())
        .withSecurityContext(containerSecurity())
        .build();
  }

  /** Copies the agent from the operator image into the pod (as for data pods), so any Redis image works. */
  private static Container bootstrap(RedisCluster cluster, String operatorImage) {
    return new ContainerBuilder()
        .withName(InstanceLayout.BOOTSTRAP_CONTAINER)
        .withImage(operatorImage)
        .withCommand("cp", "-a", InstanceLayout.OPERATOR_INSTALL_DIR + "/.", InstanceLayout.BOOTSTRAP_DIR + "/")
        .withVolumeMounts(mount(VOLUME_OPERATOR, InstanceLayout.BOOTSTRAP_DIR, false))
        .withResources(cluster.getSpec().getResources())
        .withSecurityContext(containerSecurity())
        .build();
  }

  private static SecurityContext containerSecurity() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(readOnly).build();
  }

  private static Probe probe(String path, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(AgentApi.PORT_NAME_AGENT))
        .endHttpGet()
        .withPeriodSeconds(5)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static List<EnvVar> env(String clusterName) {
    return List.of(
        fieldRef(InstanceLayout.ENV_POD_NAME, "metadata.name"),
        fieldRef(InstanceLayout.ENV_POD_NAMESPACE, "metadata.namespace"),
        fieldRef(InstanceLayout.ENV_POD_IP, "status.podIP"),
        new EnvVarBuilder().withName(InstanceLayout.ENV_CLUSTER_NAME).withValue(clusterName).build());
  }

  private static EnvVar fieldRef(String name, String path) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath(path)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  private static List<Volume> volumes(String authSecretName) {
    return List.of(
        new VolumeBuilder().withName(VOLUME_DATA).withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder()
            .withName(VOLUME_AUTH)
            .withNewProjected()
            .withDefaultMode(0440)
            .addNewSource()
            .withNewSecret()
            .withName(authSecretName)
            .addNewItem()
            .withKey(InstanceLayout.SECRET_KEY_PASSWORD)
            .withPath(InstanceLayout.SECRET_KEY_PASSWORD)
            .endItem()
            .endSecret()
            .endSource()
            .endProjected()
            .build(),
        new VolumeBuilder().withName(VOLUME_TMP).withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName(VOLUME_OPERATOR).withNewEmptyDir().endEmptyDir().build());
  }
}
