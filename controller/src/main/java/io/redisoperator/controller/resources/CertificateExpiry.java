package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.naming.ResourceNames;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pure: when the certificates a cluster's Secrets hold expire, by kind: {@code agent-ca}, {@code
 * agent} (the pods' agent certificates, the earliest of them), {@code redis-ca} and {@code
 * redis-server} (operator-issued spec.tls). For a Secret whose {@code ca.crt} lists several CAs
 * during a CA change, the first (current) one counts.
 */
public final class CertificateExpiry {
  public static final String AGENT_CA = "agent-ca";
  public static final String AGENT = "agent";
  public static final String REDIS_CA = "redis-ca";
  public static final String REDIS_SERVER = "redis-server";

  private CertificateExpiry() {}

  /**
   * @param secrets the Secrets the cluster owns
   */
  public static Map<String, Instant> of(String cluster, Collection<Secret> secrets) {
    Map<String, Instant> expiry = new TreeMap<>();
    for (Secret s : secrets) {
      String name = s.getMetadata().getName();
      if (name.equals(ResourceNames.agentCaSecret(cluster))) {
        notAfter(s, InstanceLayout.SECRET_KEY_CA_CERT)
            .ifPresent(t -> expiry.merge(AGENT_CA, t, CertificateExpiry::earlier));
      } else if (name.equals(ResourceNames.redisCaSecret(cluster))) {
        notAfter(s, InstanceLayout.SECRET_KEY_CA_CERT)
            .ifPresent(t -> expiry.merge(REDIS_CA, t, CertificateExpiry::earlier));
      } else if (name.equals(ResourceNames.redisTlsSecret(cluster))) {
        notAfter(s, InstanceLayout.SECRET_KEY_TLS_CERT)
            .ifPresent(t -> expiry.merge(REDIS_SERVER, t, CertificateExpiry::earlier));
      } else if (name.startsWith(cluster + "-") && name.endsWith("-agent-tls")) {
        notAfter(s, InstanceLayout.SECRET_KEY_TLS_CERT)
            .ifPresent(t -> expiry.merge(AGENT, t, CertificateExpiry::earlier));
      }
    }
    return expiry;
  }

  private static Optional<Instant> notAfter(Secret secret, String key) {
    return ClusterSecrets.value(secret, key)
        .map(CertificateSecrets::parseOrEmpty)
        .filter(chain -> !chain.isEmpty())
        .map(chain -> chain.get(0))
        .map(X509Certificate::getNotAfter)
        .map(java.util.Date::toInstant);
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
