package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every pod running the agent shares, data or sentinel: the bootstrap init container that
 * copies the agent from the operator image, the agent's container with its identity from the
 * Downward API and its probes, Secrets as projected volumes and the locked-down security contexts.
 */
public final class AgentPodParts {
  public static final long RUN_AS_USER = 999;
  public static final String VOLUME_OPERATOR = "operator";
  public static final String VOLUME_TMP = "tmp";

  private AgentPodParts() {}

  /**
   * The pod spec every agent pod shares: the cluster's service account (read-only RBAC for the
   * agent), a pause PID 1 that reaps what the children leave behind (a JVM cannot), the bootstrap
   * init container, the security context and the user's scheduling constraints.
   */
  public static PodSpec podSpec(
      RedisCluster cluster,
      String hostname,
      String operatorImage,
      Container container,
      List<Volume> volumes) {
    RedisClusterSpec spec = cluster.getSpec();
    return new PodSpecBuilder()
        .withHostname(hostname)
        .withServiceAccountName(ResourceNames.serviceAccount(cluster.getMetadata().getName()))
        .withAutomountServiceAccountToken(true)
        .withShareProcessNamespace(true)
        .withTerminationGracePeriodSeconds(30L)
        .withSecurityContext(podSecurity())
        .withInitContainers(bootstrap(cluster, operatorImage))
        .withContainers(container)
        .withVolumes(volumes)
        .withNodeSelector(spec.getNodeSelector())
        .withAffinity(spec.getAffinity())
        .withTolerations(spec.getTolerations())
        .withTopologySpreadConstraints(spec.getTopologySpreadConstraints())
        .build();
  }

  /**
   * A pod of {@code cluster} (owned by it, so deleted with it), data or sentinel, with its labels
   * and annotations.
   */
  public static Pod pod(
      RedisCluster cluster,
      String name,
      Map<String, String> labels,
      Map<String, String> annotations,
      PodSpec spec) {
    return new PodBuilder()
        .withMetadata(Owners.owned(cluster, name, labels))
        .editMetadata()
        .withAnnotations(annotations)
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  /**
   * The agent's container as every agent pod runs it: the Redis image with the cluster's resources,
   * identity from the Downward API, the agent's startup and liveness probes and the locked-down
   * security context. The pod's role adds its command, ports, readiness probe and mounts.
   */
  public static ContainerBuilder agentContainer(RedisCluster cluster, String name) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(redisImage(cluster))
        .withEnv(env(cluster.getMetadata().getName()))
        .withResources(cluster.getSpec().getResources())
        .withStartupProbe(startupProbe())
        .withLivenessProbe(livenessProbe())
        .withSecurityContext(containerSecurity());
  }

  /** A named TCP port of a container. */
  public static ContainerPort port(String name, int number) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(number)
        .withProtocol("TCP")
        .build();
  }

  /** The Redis image the containers run (spec.imageName, or the default). */
  public static String redisImage(RedisCluster cluster) {
    String image = cluster.getSpec().getImageName();
    return image == null ? RedisClusterSpec.DEFAULT_IMAGE : image;
  }

  /**
   * Copies the agent (launcher, JRE, jar) from the operator image into the pod, so any Redis image
   * works.
   */
  public static Container bootstrap(RedisCluster cluster, String operatorImage) {
    return new ContainerBuilder()
        .withName(InstanceLayout.BOOTSTRAP_CONTAINER)
        .withImage(operatorImage)
        // -R, not -a: a non-root copy cannot (and need not) keep the image's root ownership.
        .withCommand(
            "cp",
            "-R",
            InstanceLayout.OPERATOR_INSTALL_DIR + "/.",
            InstanceLayout.BOOTSTRAP_DIR + "/")
        .withVolumeMounts(mount(VOLUME_OPERATOR, InstanceLayout.BOOTSTRAP_DIR, false))
        .withResources(cluster.getSpec().getResources())
        .withSecurityContext(containerSecurity())
        .build();
  }

  /**
   * The agent copy (read-only) and a scratch /tmp, which a read-only root filesystem still needs
   * for the JVM.
   */
  public static List<VolumeMount> agentMounts() {
    return List.of(
        mount(VOLUME_OPERATOR, InstanceLayout.BOOTSTRAP_DIR, true),
        mount(VOLUME_TMP, "/tmp", false));
  }

  public static List<Volume> agentVolumes() {
    return List.of(
        new VolumeBuilder().withName(VOLUME_TMP).withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName(VOLUME_OPERATOR).withNewEmptyDir().endEmptyDir().build());
  }

  /**
   * A projected volume of {@code keys} of the Secret {@code secret}, each the file of its own name,
   * readable by the pod's user and group only.
   */
  public static Volume projectedSecret(String volume, String secret, String... keys) {
    List<KeyToPath> items = new ArrayList<>();
    for (String key : keys) {
      items.add(new KeyToPathBuilder().withKey(key).withPath(key).build());
    }
    return projectedSecret(volume, secret, items);
  }

  /** A projected volume of one key of the Secret {@code secret}, as the file {@code path}. */
  public static Volume projectedSecretFile(String volume, String secret, String key, String path) {
    return projectedSecret(
        volume, secret, List.of(new KeyToPathBuilder().withKey(key).withPath(path).build()));
  }

  private static Volume projectedSecret(String volume, String secret, List<KeyToPath> items) {
    return new VolumeBuilder()
        .withName(volume)
        .withNewProjected()
        .withDefaultMode(0440)
        .addNewSource()
        .withNewSecret()
        .withName(secret)
        .withItems(items)
        .endSecret()
        .endSource()
        .endProjected()
        .build();
  }

  public static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }

  /** Identity from the Downward API; never a secret. */
  public static List<EnvVar> env(String clusterName) {
    return List.of(
        fieldRef(InstanceLayout.ENV_POD_NAME, "metadata.name"),
        fieldRef(InstanceLayout.ENV_POD_NAMESPACE, "metadata.namespace"),
        fieldRef(InstanceLayout.ENV_POD_IP, "status.podIP"),
        new EnvVarBuilder()
            .withName(InstanceLayout.ENV_CLUSTER_NAME)
            .withValue(clusterName)
            .build());
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

  /**
   * Liveness starts counting only once the agent answered: a JVM on a busy node may take a while to
   * start.
   */
  public static Probe startupProbe() {
    return httpProbe(AgentApi.PATH_HEALTHZ, 2, 90);
  }

  public static Probe livenessProbe() {
    return httpProbe(AgentApi.PATH_HEALTHZ, 5, 3);
  }

  public static Probe readinessProbe() {
    return httpProbe(AgentApi.PATH_READYZ, 5, 1);
  }

  /**
   * A sentinel is unready while it monitors another address than the recorded primary, which is
   * also true for the few hundred milliseconds its agent takes to re-point it after a failover. The
   * sentinel pods start together, so their probes can land in that instant at once: a probe every
   * second that needs two misses keeps such a blip from emptying the {@code -sentinel} Service,
   * while a sentinel really left on a stale primary turns unready within two seconds.
   */
  public static Probe sentinelReadinessProbe() {
    return httpProbe(AgentApi.PATH_READYZ, 1, 2);
  }

  private static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(AgentApi.PORT_NAME_PROBES))
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  public static PodSecurityContext podSecurity() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS_USER)
        .withRunAsGroup(RUN_AS_USER)
        .withFsGroup(RUN_AS_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  public static SecurityContext containerSecurity() {
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
}
