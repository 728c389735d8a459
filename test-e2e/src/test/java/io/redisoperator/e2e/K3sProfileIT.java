package io.redisoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.redisoperator.sandbox.api.ApiServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * `make e2e-k3s`: a real Kubernetes (k3s in Docker). Checks that the generated CRDs install and become Established on a
 * real API server (the sandbox mock accepts anything). Skipped, with the reason printed, where Docker is absent.
 */
@Tag("k3s")
class K3sProfileIT {
  private static K3sContainer k3s;

  @BeforeAll
  static void startK3s() {
    boolean docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      System.out.println("e2e-k3s: skipped: Docker is not available on this machine");
    }
    Assumptions.assumeTrue(docker, "Docker is not available");
    k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.30.6-k3s1"));
    k3s.start();
  }

  @AfterAll
  static void stopK3s() {
    if (k3s != null) {
      k3s.stop();
    }
  }

  @Test
  void theGeneratedCrdsInstallOnARealApiServer() {
    Config config = Config.fromKubeconfig(k3s.getKubeConfigYaml());
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      for (CustomResourceDefinition crd : ApiServer.loadCrds()) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
      assertNotNull(client.apiextensions().v1().customResourceDefinitions().withName("redisclusters.redis.io")
          .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
              .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
              60, TimeUnit.SECONDS));
    }
  }
}
