package io.redisoperator.e2e.k3s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.redisoperator.sandbox.operator.OperatorAccount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator as {@code charts/redis-operator} installs it with its default values (release name
 * and namespace {@value #NAME}), built with fabric8 builders: namespace, ServiceAccount,
 * ClusterRole and binding, Deployment. Two deliberate differences: one replica (a scenario kills
 * "the" controller; leader election stays on, as in the chart, so a restarted controller waits for
 * the dead one's lease like in production) and the image built from this repository, never pulled.
 * The chart's metrics Service is left out: no scenario scrapes metrics. {@code
 * OperatorManifestsTest} checks the RBAC rules against the chart as rendered (dist/install.yaml).
 */
final class OperatorManifests {
  static final String NAME = "redis-operator";
  static final String NAMESPACE = NAME;
  static final String CONTAINER = "controller";
  static final String NAME_LABEL = "app.kubernetes.io/name";
  static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  static final int METRICS_PORT = 8080;
  private static final long NON_ROOT_USER = 65532;

  private OperatorManifests() {}

  /**
   * The chart's selector labels: what the Deployment selects and what identifies the operator's
   * pods.
   */
  static Map<String, String> selector() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME_LABEL, NAME);
    labels.put(INSTANCE_LABEL, NAME);
    return labels;
  }

  /** Everything to create, in order. */
  static List<HasMetadata> all(String operatorImage) {
    return List.of(
        namespace(),
        serviceAccount(),
        clusterRole(),
        clusterRoleBinding(),
        deployment(operatorImage));
  }

  static Namespace namespace() {
    return new NamespaceBuilder().withMetadata(meta(null)).build();
  }

  static ServiceAccount serviceAccount() {
    return new ServiceAccountBuilder().withMetadata(meta(NAMESPACE)).build();
  }

  static ClusterRole clusterRole() {
    return new ClusterRoleBuilder().withMetadata(meta(null)).withRules(rules()).build();
  }

  /**
   * The rules of the chart's cluster-wide ClusterRole, read from the chart's rule files as the
   * sandbox grants them.
   */
  static List<PolicyRule> rules() {
    return OperatorAccount.chartRules();
  }

  static ClusterRoleBinding clusterRoleBinding() {
    return new ClusterRoleBindingBuilder()
        .withMetadata(meta(null))
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(NAME)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(NAME)
        .withNamespace(NAMESPACE)
        .endSubject()
        .build();
  }

  /**
   * The chart's Deployment. {@code --operator-image} names the image the data pods' bootstrap init
   * container copies the agent from (the chart passes the same through $OPERATOR_IMAGE); pull
   * policy Never, because the image exists only as imported into the node, and a failed import
   * should show as ErrImageNeverPull rather than a pull attempt.
   */
  static Deployment deployment(String operatorImage) {
    return new DeploymentBuilder()
        .withMetadata(meta(NAMESPACE))
        .withNewSpec()
        .withReplicas(1)
        .withNewSelector()
        .withMatchLabels(selector())
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(selector())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(NAME)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(NON_ROOT_USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(operatorImage)
        .withImagePullPolicy("Never")
        .withArgs(
            "controller",
            "--leader-elect",
            "--lease-namespace=" + NAMESPACE,
            "--metrics-port=" + METRICS_PORT,
            "--operator-image=" + operatorImage)
        .addNewEnv()
        .withName("LOG_FORMAT")
        .withValue("text")
        .endEnv()
        .addNewPort()
        .withName("metrics")
        .withContainerPort(METRICS_PORT)
        .endPort()
        .withNewLivenessProbe()
        .withNewHttpGet()
        .withPath("/healthz")
        .withPort(new IntOrString("metrics"))
        .endHttpGet()
        .withPeriodSeconds(10)
        .endLivenessProbe()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/readyz")
        .withPort(new IntOrString("metrics"))
        .endHttpGet()
        .withPeriodSeconds(5)
        .endReadinessProbe()
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("512Mi"))
        .addToLimits("memory", new Quantity("1Gi"))
        .endResources()
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static ObjectMeta meta(String namespace) {
    Map<String, String> labels = selector();
    labels.put("app.kubernetes.io/managed-by", "test-e2e");
    return new ObjectMetaBuilder()
        .withName(NAME)
        .withNamespace(namespace)
        .withLabels(labels)
        .build();
  }
}
