package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateLifetime;
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
import java.util.Set;

/**
 * Secrets holding a CA the operator keeps ({@code ca.crt}, {@code ca.key}) and certificates it
 * issues from one ({@code tls.crt}, {@code tls.key}, {@code ca.crt}), and when such a certificate
 * must be issued again.
 */
final class CertificateSecrets {
  /**
   * Enough for every pod certificate of a few thousand clusters. The grace outlasts a restart's
   * backlog of first passes and first contacts (about 100 s at 1000 clusters on one core).
   */
  private static final VerifiedSignatures VERIFIED =
      new VerifiedSignatures(16_384, Duration.ofMinutes(10));

  static final String CA_KEY = "ca.key";

  private CertificateSecrets() {}

  static Secret caSecret(
      RedisCluster cluster, String name, String commonName, Instant now, Duration validity) {
    CertificateAuthority ca = CertificateAuthority.create(commonName, now, validity);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(InstanceLayout.SECRET_KEY_CA_CERT, ca.material().certificatePem());
    data.put(CA_KEY, ca.material().keyPem());
    return secret(cluster, name, "Opaque", data);
  }

  /** The CA a Secret holds, empty when it is incomplete or unreadable. */
  static Optional<CertificateAuthority> authority(Secret caSecret) {
    Optional<String> cert = ClusterSecrets.value(caSecret, InstanceLayout.SECRET_KEY_CA_CERT);
    Optional<String> key = ClusterSecrets.value(caSecret, CA_KEY);
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return ParsedPem.SHARED.authority(cert.get(), key.get());
  }

  /** Every CA certificate the Secret's {@code ca.crt} holds (the current one first). */
  static List<X509Certificate> trusted(Secret caSecret) {
    return ClusterSecrets.value(caSecret, InstanceLayout.SECRET_KEY_CA_CERT)
        .map(CertificateSecrets::parseOrEmpty)
        .orElse(List.of());
  }

  static Secret issued(
      RedisCluster cluster,
      String name,
      CertificateAuthority issuer,
      KeyMaterial own,
      Secret caSecret) {
    VERIFIED.issued(own.leaf(), issuer.certificate());
    Map<String, String> data = new LinkedHashMap<>();
    data.put(InstanceLayout.SECRET_KEY_TLS_CERT, own.certificatePem());
    data.put(InstanceLayout.SECRET_KEY_TLS_KEY, own.keyPem());
    data.put(InstanceLayout.SECRET_KEY_CA_CERT, Pem.encode(trusted(caSecret)));
    Secret secret = secret(cluster, name, "kubernetes.io/tls", data);
    secret.getMetadata().setAnnotations(CertificateSeal.annotationFor(issuer, own.leaf()));
    return secret;
  }

  /**
   * Why an issued Secret must be issued again: unreadable, not from the current CA, missing one of
   * {@code names}, an outdated CA bundle, or two thirds into its validity. Empty when it is
   * current.
   */
  static Optional<String> reissueReason(
      Secret existing, Set<String> names, CertificateAuthority ca, Secret caSecret, Instant now) {
    Optional<String> cert = ClusterSecrets.value(existing, InstanceLayout.SECRET_KEY_TLS_CERT);
    if (cert.isEmpty()
        || ClusterSecrets.value(existing, InstanceLayout.SECRET_KEY_TLS_KEY).isEmpty()) {
      return Optional.of("incomplete");
    }
    List<X509Certificate> chain = parseOrEmpty(cert.get());
    if (chain.isEmpty()) {
      return Optional.of("unreadable");
    }
    X509Certificate leaf = chain.get(0);
    try {
      VERIFIED.verify(
          leaf, ca.certificate(), now, () -> CertificateSeal.matches(existing, ca, leaf));
    } catch (GeneralSecurityException e) {
      return Optional.of("not issued by the current CA");
    }
    try {
      Set<String> present = new java.util.HashSet<>();
      if (leaf.getSubjectAlternativeNames() != null) {
        leaf.getSubjectAlternativeNames().forEach(n -> present.add(String.valueOf(n.get(1))));
      }
      if (!present.containsAll(names)) {
        return Optional.of("does not name every host it serves");
      }
    } catch (GeneralSecurityException e) {
      return Optional.of("unreadable names");
    }
    if (!ClusterSecrets.value(existing, InstanceLayout.SECRET_KEY_CA_CERT)
        .map(CertificateSecrets::parseOrEmpty)
        .orElse(List.of())
        .equals(trusted(caSecret))) {
      return Optional.of("CA bundle changed");
    }
    if (CertificateLifetime.due(leaf, now)) {
      return Optional.of("renewal due since " + CertificateLifetime.renewAt(leaf));
    }
    return Optional.empty();
  }

  /**
   * Throws like {@link X509Certificate#verify} when {@code leaf} is not signed by {@code ca};
   * answered from memory for a certificate verified or issued under {@code ca} before, never on its
   * identifiers alone.
   */
  static void verifySignature(X509Certificate leaf, X509Certificate ca)
      throws GeneralSecurityException {
    VERIFIED.verifySignature(leaf, ca);
  }

  /** The certificates {@code pem} holds, empty when unreadable (parsed once per text). */
  static List<X509Certificate> parseOrEmpty(String pem) {
    return ParsedPem.SHARED.certificates(pem);
  }

  static Secret secret(RedisCluster cluster, String name, String type, Map<String, String> data) {
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withMetadata(Owners.owned(cluster, name))
        .withType(type)
        .withData(encoded)
        .build();
  }
}
