package io.redisoperator.controller.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The controller's seal on a certificate it issued: an HMAC-SHA256 of the certificate's encoding
 * under a key derived from the issuing CA's private key, written beside it in its Secret ({@link
 * Annotations#CERTIFICATE_SEAL}). Only the holder of the CA's key can make a seal that matches, so
 * a matching seal proves the CA issued that certificate as well as its signature does, and checking
 * it costs two HMACs where an ECDSA verification on a cold JVM cost a millisecond or more: a
 * restarted controller sees every pod's certificate for the first time, and at 1000 clusters their
 * verifications were a tenth of its CPU until every pod was polled (docs/performance.md,
 * "Density").
 *
 * <p>A seal binds exactly one certificate to one CA key: a Secret whose certificate was replaced
 * keeps a seal that no longer matches, and its certificate is then verified by its signature as any
 * unsealed one is (Secrets written before seals existed, or by hand).
 */
final class CertificateSeal {
  private static final String MAC = "HmacSHA256";

  /** Separates the seal key from any other use of the CA key's bytes. */
  private static final byte[] KEY_LABEL =
      "redis-operator certificate seal v1".getBytes(StandardCharsets.UTF_8);

  private CertificateSeal() {}

  /** The annotation carrying the seal of {@code leaf}, issued by {@code ca}. */
  static Map<String, String> annotationFor(CertificateAuthority ca, X509Certificate leaf) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Annotations.CERTIFICATE_SEAL, Base64.getEncoder().encodeToString(of(ca, leaf)));
    return annotations;
  }

  /** Whether {@code secret}'s seal is {@code ca}'s seal of {@code leaf}. */
  static boolean matches(Secret secret, CertificateAuthority ca, X509Certificate leaf) {
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    String seal = annotations == null ? null : annotations.get(Annotations.CERTIFICATE_SEAL);
    if (seal == null) {
      return false;
    }
    Optional<byte[]> presented = decode(seal);
    return presented.isPresent() && MessageDigest.isEqual(presented.get(), of(ca, leaf));
  }

  private static byte[] of(CertificateAuthority ca, X509Certificate leaf) {
    try {
      Mac derive = Mac.getInstance(MAC);
      derive.init(new SecretKeySpec(ca.material().key().getEncoded(), MAC));
      Mac seal = Mac.getInstance(MAC);
      seal.init(new SecretKeySpec(derive.doFinal(KEY_LABEL), MAC));
      return seal.doFinal(leaf.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal a certificate: " + e.getMessage(), e);
    }
  }

  private static Optional<byte[]> decode(String seal) {
    try {
      return Optional.of(Base64.getDecoder().decode(seal));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
