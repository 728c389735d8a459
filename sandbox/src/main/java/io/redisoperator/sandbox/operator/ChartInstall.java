package io.redisoperator.sandbox.operator;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.sandbox.kubelet.NodeImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator installed as a user installs it: {@code helm install} of {@code
 * charts/redis-operator} against the sandbox's real API server. The chart's CRDs, ServiceAccount,
 * RBAC, Service and Deployment are created by helm; the controller-manager's Deployment and
 * ReplicaSet controllers create the pods, the scheduler binds them, and the sandbox kubelet runs
 * them from the operator image it holds ({@link NodeImages}), with the chart's args, env, probes,
 * ServiceAccount token and volumes as rendered. The only values set are the image's repository and
 * tag.
 */
public final class ChartInstall {
  private static final Logger log = LoggerFactory.getLogger(ChartInstall.class);
  public static final String RELEASE = "redis-operator";
  public static final String NAMESPACE = "redis-operator";

  /** The Deployment the chart names after itself. */
  public static final String DEPLOYMENT = "redis-operator";

  /**
   * The chart's Service in front of the controller's /metrics, and its port (the chart's default).
   */
  public static final String METRICS_SERVICE = "redis-operator-metrics";

  public static final int METRICS_PORT = 8080;

  private final Helm helm;
  private final KubernetesClient client;

  private ChartInstall(Helm helm, KubernetesClient client) {
    this.helm = helm;
    this.client = client;
  }

  /**
   * Installs the chart and waits until the Deployment has every replica available.
   *
   * @param extraValues further {@code --set} values (none for the chart as shipped)
   */
  public static ChartInstall install(
      KubernetesClient admin,
      Path adminKubeconfig,
      Path helmHome,
      Map<String, String> extraValues,
      Duration timeout) {
    Path chart =
        Helm.chartDirectory()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "charts/redis-operator not found in the working directory or its parents"));
    Helm helm = Helm.locate(adminKubeconfig, helmHome);
    Map<String, String> values = new LinkedHashMap<>();
    values.put("image.repository", NodeImages.OPERATOR_IMAGE_REPOSITORY);
    values.put("image.tag", NodeImages.OPERATOR_IMAGE_TAG);
    values.putAll(extraValues);
    long t0 = System.nanoTime();
    String output = helm.upgradeInstall(RELEASE, chart, NAMESPACE, values);
    log.info("helm install {} from {}: {}", RELEASE, chart, output.strip().replace('\n', ' '));
    ChartInstall install = new ChartInstall(helm, admin);
    install.awaitAvailable(timeout);
    log.info(
        "operator Deployment {}/{} available {} ms after helm install",
        NAMESPACE,
        DEPLOYMENT,
        (System.nanoTime() - t0) / 1_000_000);
    return install;
  }

  /** Waits until every replica of the Deployment is updated and available. */
  public void awaitAvailable(Duration timeout) {
    try {
      client
          .apps()
          .deployments()
          .inNamespace(NAMESPACE)
          .withName(DEPLOYMENT)
          .waitUntilCondition(ChartInstall::available, timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (io.fabric8.kubernetes.client.KubernetesClientTimeoutException e) {
      Deployment last =
          client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).get();
      throw new IllegalStateException(
          "Deployment "
              + NAMESPACE
              + "/"
              + DEPLOYMENT
              + " not available after "
              + timeout
              + ": "
              + (last == null ? "missing" : last.getStatus()),
          e);
    }
  }

  static boolean available(Deployment d) {
    if (d == null || d.getStatus() == null || d.getSpec() == null) {
      return false;
    }
    Integer wanted = d.getSpec().getReplicas();
    var status = d.getStatus();
    return Objects.equals(status.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.equals(status.getUpdatedReplicas(), wanted)
        && Objects.equals(status.getAvailableReplicas(), wanted)
        && Objects.equals(status.getReplicas(), wanted);
  }

  public void uninstall() {
    helm.uninstall(RELEASE, NAMESPACE);
  }

  public Helm helm() {
    return helm;
  }
}
