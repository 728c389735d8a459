package io.redisoperator.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssuerIdentifiersTest {
  private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");

  /** A cluster's agent CA: each call a new one, of the same name. */
  private static CertificateAuthority clusterCa() {
    return CertificateAuthority.create("ns/c agent CA", NOW, Duration.ofDays(10));
  }

  private static X509Certificate issue(CertificateAuthority ca) {
    return ca.issue(CertificateRequest.server("c-0", List.of("c-0"), Duration.ofDays(1)), NOW)
        .leaf();
  }

  @Test
  void aCertificateNamesTheCaThatIssuedIt() {
    CertificateAuthority ca = clusterCa();
    assertTrue(IssuerIdentifiers.nameAsIssuer(issue(ca), ca.certificate()));
  }

  /** A replaced CA keeps the cluster's CA name; its key and serial number are its own. */
  @Test
  void notAnotherCaOfTheSameName() {
    CertificateAuthority ca = clusterCa();
    CertificateAuthority other = clusterCa();
    assertFalse(IssuerIdentifiers.nameAsIssuer(issue(other), ca.certificate()));
  }

  @Test
  void notACertificateWithoutAnAuthorityKeyIdentifier() {
    CertificateAuthority ca = clusterCa();
    // Self-signed: issuer and subject are the same name, and nothing names an authority key.
    assertFalse(IssuerIdentifiers.nameAsIssuer(ca.certificate(), ca.certificate()));
  }
}
