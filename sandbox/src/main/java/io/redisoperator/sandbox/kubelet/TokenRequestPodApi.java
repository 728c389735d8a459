package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.redisoperator.protocol.agent.InstanceLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API access on a real API server, as a pod has it in a cluster: HTTPS to the in-cluster name,
 * verified against the cluster CA, authenticated with the pod's own service-account token (a
 * TokenRequest bound to the pod, as the kubelet obtains it). Each pod resolves the in-cluster name
 * to its own endpoint through a hosts file of its own ({@code jdk.net.hosts.file}; the pods are
 * JVMs), so TLS is end to end with the real API server while a partition can still cut the pod off
 * by destination.
 */
public final class TokenRequestPodApi implements PodApi {
  private static final long DEFAULT_EXPIRATION_SECONDS = 3600;

  private final KubernetesClient client;
  private final String inClusterHost;
  private final Clock clock;
  private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();

  private record IssuedToken(String token, Instant refreshAfter) {}

  /**
   * @param client the kubelet's client (creates TokenRequests)
   * @param inClusterHost the API server name in its serving certificate that pods connect to
   */
  public TokenRequestPodApi(KubernetesClient client, String inClusterHost, Clock clock) {
    this.client = client;
    this.inClusterHost = inClusterHost;
    this.clock = clock;
  }

  @Override
  public Map<String, String> env(String podIp, Path root, Path podDir) throws IOException {
    Path hosts = podDir.resolve("hosts");
    Files.createDirectories(podDir);
    Files.writeString(
        hosts, podIp + " " + inClusterHost + "\n127.0.0.1 localhost\n", StandardCharsets.UTF_8);
    Path serviceAccount = root.resolve(InstanceLayout.SERVICE_ACCOUNT_DIR.replaceFirst("^/+", ""));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBERNETES_MASTER", "https://" + inClusterHost + ":" + Kubelet.POD_API_SERVER_PORT);
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "true");
    // fabric8 reads these two instead of the fixed in-cluster paths: the pod's root is a directory
    // here.
    env.put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", serviceAccount.resolve("token").toString());
    env.put("KUBERNETES_CERTS_CA_FILE", serviceAccount.resolve("ca.crt").toString());
    env.put("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts);
    return env;
  }

  @Override
  public String serviceAccountToken(Pod pod, ServiceAccountTokenProjection projection)
      throws EnvResolver.MissingReference {
    String audience = projection.getAudience();
    long expiration =
        Optional.ofNullable(projection.getExpirationSeconds()).orElse(DEFAULT_EXPIRATION_SECONDS);
    String key = pod.getMetadata().getUid() + "/" + audience + "/" + expiration;
    Instant now = clock.instant();
    IssuedToken cached = tokens.get(key);
    if (cached != null && now.isBefore(cached.refreshAfter())) {
      return cached.token();
    }
    String namespace = pod.getMetadata().getNamespace();
    String account = Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("default");
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(audience == null || audience.isEmpty() ? List.of() : List.of(audience))
            .withExpirationSeconds(expiration)
            .withNewBoundObjectRef()
            .withApiVersion("v1")
            .withKind("Pod")
            .withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid())
            .endBoundObjectRef()
            .endSpec()
            .build();
    try {
      TokenRequest issued =
          client.serviceAccounts().inNamespace(namespace).withName(account).tokenRequest(request);
      Instant expires = Instant.parse(issued.getStatus().getExpirationTimestamp());
      // As the kubelet: renew once 80% of the token's life has passed.
      Instant refreshAfter = now.plus(Duration.between(now, expires).multipliedBy(8).dividedBy(10));
      tokens.put(key, new IssuedToken(issued.getStatus().getToken(), refreshAfter));
      return issued.getStatus().getToken();
    } catch (KubernetesClientException e) {
      if (cached != null) {
        return cached.token(); // still valid until it expires; try again at the next sync
      }
      throw new EnvResolver.MissingReference(
          "service account token for " + namespace + "/" + account + ": " + e.getMessage());
    }
  }

  @Override
  public boolean mountsServiceAccountDirectory() {
    return false;
  }

  @Override
  public String placeholderToken(Pod pod) {
    throw new UnsupportedOperationException("no placeholder tokens on a real API server");
  }

  @Override
  public void forget(String podUid) {
    tokens.keySet().removeIf(k -> k.startsWith(podUid + "/"));
  }
}
