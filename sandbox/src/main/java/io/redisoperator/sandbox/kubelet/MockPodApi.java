package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * API access on the fabric8 mock API server: plain HTTP to the pod's endpoint and no credentials
 * (the mock authenticates nobody); projected tokens are placeholders naming the service account.
 */
public final class MockPodApi implements PodApi {

  @Override
  public Map<String, String> env(String podIp, Path root, Path podDir) {
    return Map.of(
        "KUBERNETES_MASTER", "http://" + podIp + ":" + Kubelet.POD_API_SERVER_PORT,
        "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
  }

  @Override
  public String serviceAccountToken(Pod pod, ServiceAccountTokenProjection projection) {
    return placeholderToken(pod);
  }

  @Override
  public boolean mountsServiceAccountDirectory() {
    return true;
  }

  @Override
  public String placeholderToken(Pod pod) {
    String sa = Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("default");
    return "sandbox-token:" + pod.getMetadata().getNamespace() + ":" + sa;
  }
}
