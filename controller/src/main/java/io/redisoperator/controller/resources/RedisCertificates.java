package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.Pem;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Redis' own TLS (spec.tls): the one server certificate every data pod serves, issued by the
 * operator's Redis CA ({@link ClusterAuthority#REDIS}; its names cover every Service and pod
 * clients may use; replicas present it to their primary too), and the Secret clients read (hosts,
 * port, rediss:// URLs, the CA).
 */
public final class RedisCertificates {
  static final Duration SERVER_VALIDITY = Duration.ofDays(90);

  private RedisCertificates() {}

  /**
   * Every name a client or a replica may reach a data pod by: the three Services and each pod,
   * short and qualified; in sentinel mode the sentinel Service and pods too.
   */
  public static Set<String> dnsNames(RedisCluster cluster) {
    String name = cluster.getMetadata().getName();
    String ns = cluster.getMetadata().getNamespace();
    Set<String> names = new LinkedHashSet<>();
    for (String service :
        List.of(
            ResourceNames.leaderService(name),
            ResourceNames.replicaService(name),
            ResourceNames.anyService(name))) {
      names.add(service);
      names.add(service + "." + ns);
      names.add(service + "." + ns + ".svc");
      names.add(service + "." + ns + ".svc.cluster.local");
    }
    for (int i = 0; i < cluster.getSpec().getInstances(); i++) {
      String pod = ResourceNames.podName(name, i);
      names.add(pod);
      names.add(pod + "." + ns);
    }
    if (cluster.getSpec().getMode() == io.redisoperator.protocol.crd.Mode.SENTINEL) {
      // The sentinel pods serve the same certificate.
      String service = ResourceNames.sentinelService(name);
      names.add(service);
      names.add(service + "." + ns);
      names.add(service + "." + ns + ".svc");
      names.add(service + "." + ns + ".svc.cluster.local");
      for (int i = 0; i < io.redisoperator.controller.sentinel.SentinelPodBuilder.SENTINELS; i++) {
        String pod = ResourceNames.sentinelPodName(name, i);
        names.add(pod);
        names.add(pod + "." + ns);
      }
    }
    return names;
  }

  public static Secret serverSecret(
      RedisCluster cluster, CertificateAuthority ca, Secret caSecret, Instant now) {
    String name = cluster.getMetadata().getName();
    return CertificateSecrets.issued(
        cluster,
        ResourceNames.redisTlsSecret(name),
        ca,
        ca.issue(
            new CertificateRequest(
                ResourceNames.leaderService(name),
                List.copyOf(dnsNames(cluster)),
                List.of(),
                CertificateRequest.Usage.SERVER_AND_CLIENT,
                SERVER_VALIDITY),
            now),
        caSecret);
  }

  public static Optional<String> reissueReason(
      Secret existing,
      RedisCluster cluster,
      CertificateAuthority ca,
      Secret caSecret,
      Instant now) {
    return CertificateSecrets.reissueReason(existing, dnsNames(cluster), ca, caSecret, now);
  }

  public static String clientSecretName(RedisCluster cluster) {
    TlsSpec tls = cluster.getSpec().getTls();
    return tls != null && tls.getClientSecret() != null
        ? tls.getClientSecret()
        : ResourceNames.tlsClientSecret(cluster.getMetadata().getName());
  }

  /**
   * What a client needs: each Service's host and {@code rediss://} URL, the port and the CA (and in
   * the TLS migration mode the plaintext port). With the user's own certificates the CA stays in
   * their Secret, named under {@code ca-secret}.
   *
   * @param caPem the operator's CA bundle, null when the certificates are the user's
   */
  public static Secret clientSecret(RedisCluster cluster, String caPem) {
    String name = cluster.getMetadata().getName();
    String ns = cluster.getMetadata().getNamespace();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("port", Integer.toString(AgentApi.REDIS_PORT));
    Map<String, String> services =
        Map.of(
            "leader",
            ResourceNames.leaderService(name),
            "replica",
            ResourceNames.replicaService(name),
            "any",
            ResourceNames.anyService(name));
    for (String role : List.of("leader", "replica", "any")) {
      String host = services.get(role) + "." + ns + ".svc";
      data.put(role + "-host", host);
      data.put(role + "-url", "rediss://" + host + ":" + AgentApi.REDIS_PORT);
    }
    if (cluster.getSpec().getMode() == io.redisoperator.protocol.crd.Mode.SENTINEL) {
      // Sentinel-aware clients: ask here (over TLS) for master <cluster>.
      data.put("sentinel-host", ResourceNames.sentinelService(name) + "." + ns + ".svc");
      data.put("sentinel-port", Integer.toString(AgentApi.SENTINEL_PORT));
      data.put("sentinel-master", name);
    }
    Integer plaintext = cluster.getSpec().getTls().getPlaintextPort();
    if (plaintext != null) {
      // Only in the migration mode: gone from the Secret when the port closes.
      data.put("plaintext-port", Integer.toString(plaintext));
    }
    if (caPem != null) {
      data.put(InstanceLayout.SECRET_KEY_CA_CERT, caPem);
    } else {
      data.put("ca-secret", cluster.getSpec().getTls().getCaSecret().getName());
    }
    return CertificateSecrets.secret(cluster, clientSecretName(cluster), "Opaque", data);
  }

  /** The CA bundle of the operator's Redis CA Secret, as PEM. */
  public static String caPem(Secret caSecret) {
    return Pem.encode(ClusterAuthority.trusted(caSecret));
  }
}
