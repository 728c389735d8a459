package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A certificate authority the controller keeps for each cluster, in a Secret of its own ({@code
 * ca.crt}, {@code ca.key}; read only by the controller): the agent CA issues the agent API's pod
 * certificates ({@link AgentCertificates}), the Redis CA the certificate Redis serves with spec.tls
 * ({@link RedisCertificates}). The two differ only in the Secret's name and the CA's name.
 */
public enum ClusterAuthority {
  AGENT("agent CA", ResourceNames::agentCaSecret),
  REDIS("Redis CA", ResourceNames::redisCaSecret);

  static final Duration VALIDITY = Duration.ofDays(3650);

  private final String description;
  private final UnaryOperator<String> secretName;

  ClusterAuthority(String description, UnaryOperator<String> secretName) {
    this.description = description;
    this.secretName = secretName;
  }

  /** What it is, as events and logs name it: "agent CA", "Redis CA". */
  public String description() {
    return description;
  }

  /** The name of the cluster's Secret holding this CA. */
  public String secretName(String clusterName) {
    return secretName.apply(clusterName);
  }

  /** A Secret holding a new CA for {@code cluster}, valid for ten years from {@code now}. */
  public Secret newSecret(RedisCluster cluster, Instant now) {
    String name = cluster.getMetadata().getName();
    return CertificateSecrets.caSecret(
        cluster,
        secretName(name),
        cluster.getMetadata().getNamespace() + "/" + name + " " + description,
        now,
        VALIDITY);
  }

  /** The CA a Secret holds, empty when it is incomplete or unreadable. */
  public static Optional<CertificateAuthority> read(Secret caSecret) {
    return CertificateSecrets.authority(caSecret);
  }

  /** Every CA certificate the Secret's {@code ca.crt} holds (the current one first). */
  public static List<X509Certificate> trusted(Secret caSecret) {
    return CertificateSecrets.trusted(caSecret);
  }
}
