package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateLifetime;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent API's certificates for a cluster: its agent CA (certificate and key, read only by the controller) and one
 * Secret per data pod with that pod's server certificate, its key and the CA certificate. Each pod mounts only its
 * own, so no pod holds anything that authenticates it to a sibling.
 */
public final class AgentCertificates {
  public static final String CA_KEY = "ca.key";
  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration POD_VALIDITY = Duration.ofDays(90);
  public static final Duration CONTROLLER_VALIDITY = Duration.ofDays(1);

  private AgentCertificates() {}

  public static Secret caSecret(RedisCluster cluster, Instant now) {
    String name = cluster.getMetadata().getName();
    CertificateAuthority ca =
        CertificateAuthority.create(cluster.getMetadata().getNamespace() + "/" + name + " agent CA", now, CA_VALIDITY);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(InstanceLayout.SECRET_KEY_CA_CERT, ca.material().certificatePem());
    data.put(CA_KEY, ca.material().keyPem());
    return secret(cluster, ResourceNames.agentCaSecret(name), "Opaque", data);
  }

  /** The CA a Secret holds, empty when it is incomplete or unreadable. */
  public static Optional<CertificateAuthority> authority(Secret caSecret) {
    Optional<String> cert = ClusterSecrets.value(caSecret, InstanceLayout.SECRET_KEY_CA_CERT);
    Optional<String> key = ClusterSecrets.value(caSecret, CA_KEY);
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CertificateAuthority.fromPem(cert.get(), key.get()));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  /** Every CA certificate the Secret's {@code ca.crt} holds (the current one first). */
  public static List<X509Certificate> trusted(Secret caSecret) {
    try {
      return ClusterSecrets.value(caSecret, InstanceLayout.SECRET_KEY_CA_CERT).map(AgentCertificates::parse).orElse(List.of());
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  public static Secret podSecret(RedisCluster cluster, String podName, CertificateAuthority ca, Secret caSecret, Instant now) {
    KeyMaterial own =
        ca.issue(
            CertificateRequest.server(podName, AgentTls.podNames(podName, cluster.getMetadata().getNamespace()), POD_VALIDITY),
            now);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(InstanceLayout.SECRET_KEY_TLS_CERT, own.certificatePem());
    data.put(InstanceLayout.SECRET_KEY_TLS_KEY, own.keyPem());
    data.put(InstanceLayout.SECRET_KEY_CA_CERT, Pem.encode(trusted(caSecret)));
    return secret(cluster, ResourceNames.agentTlsSecret(podName), "kubernetes.io/tls", data);
  }

  /**
   * Why a pod's Secret must be issued again: unreadable, not from the current CA, not naming the pod, an outdated CA
   * bundle, or two thirds into its validity. Empty when it is current.
   */
  public static Optional<String> reissueReason(
      Secret existing, String podName, CertificateAuthority ca, Secret caSecret, Instant now) {
    Optional<String> cert = ClusterSecrets.value(existing, InstanceLayout.SECRET_KEY_TLS_CERT);
    if (cert.isEmpty() || ClusterSecrets.value(existing, InstanceLayout.SECRET_KEY_TLS_KEY).isEmpty()) {
      return Optional.of("incomplete");
    }
    X509Certificate leaf;
    try {
      leaf = parse(cert.get()).get(0);
      leaf.verify(ca.certificate().getPublicKey());
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return Optional.of("not issued by the current agent CA");
    }
    try {
      if (leaf.getSubjectAlternativeNames() == null
          || leaf.getSubjectAlternativeNames().stream().noneMatch(n -> podName.equals(n.get(1)))) {
        return Optional.of("does not name " + podName);
      }
    } catch (GeneralSecurityException e) {
      return Optional.of("unreadable names");
    }
    if (!ClusterSecrets.value(existing, InstanceLayout.SECRET_KEY_CA_CERT).map(AgentCertificates::parseOrEmpty)
        .orElse(List.of()).equals(trusted(caSecret))) {
      return Optional.of("CA bundle changed");
    }
    if (CertificateLifetime.due(leaf, now)) {
      return Optional.of("renewal due since " + CertificateLifetime.renewAt(leaf));
    }
    return Optional.empty();
  }

  private static List<X509Certificate> parse(String pem) {
    try {
      return Pem.certificates(pem);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static List<X509Certificate> parseOrEmpty(String pem) {
    try {
      return Pem.certificates(pem);
    } catch (GeneralSecurityException e) {
      return List.of();
    }
  }

  private static Secret secret(RedisCluster cluster, String name, String type, Map<String, String> data) {
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder().withMetadata(Owners.owned(cluster, name)).withType(type).withData(encoded).build();
  }
}
