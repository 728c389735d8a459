package io.redisoperator.protocol.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate is renewed: once two thirds of its validity have passed, so the last third
 * (days for the certificates the operator issues) is left for the new one to reach every pod before
 * the old one expires.
 */
public final class CertificateLifetime {
  private CertificateLifetime() {}

  public static Instant renewAt(X509Certificate certificate) {
    Instant from = certificate.getNotBefore().toInstant();
    Instant until = certificate.getNotAfter().toInstant();
    return from.plus(Duration.between(from, until).multipliedBy(2).dividedBy(3));
  }

  public static boolean due(X509Certificate certificate, Instant now) {
    return !now.isBefore(renewAt(certificate));
  }
}
