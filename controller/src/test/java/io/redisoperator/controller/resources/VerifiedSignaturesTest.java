package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerifiedSignaturesTest {
  private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

  private static X509Certificate issue(CertificateAuthority ca, String pod) throws Exception {
    return ca.issue(
            CertificateRequest.server(pod, AgentTls.podNames(pod, "ns"), Duration.ofDays(1)), NOW)
        .leaf();
  }

  @Test
  void aCertificateIsVerifiedOnceUnderItsCaAndNeverUnderAnother() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CertificateAuthority other = CertificateAuthority.create("b", NOW, Duration.ofDays(10));
    X509Certificate leaf = issue(ca, "c-0");
    VerifiedSignatures verified = new VerifiedSignatures(10);

    verified.verify(leaf, ca.certificate());
    verified.verify(leaf, ca.certificate());
    assertEquals(1, verified.size(), "the second check is answered from memory");

    assertThrows(GeneralSecurityException.class, () -> verified.verify(leaf, other.certificate()));
    assertThrows(GeneralSecurityException.class, () -> verified.verify(leaf, other.certificate()));
    assertEquals(1, verified.size(), "a failure is not remembered");
  }

  @Test
  void theLeastRecentlyUsedGoFirst() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    VerifiedSignatures verified = new VerifiedSignatures(2);
    for (int i = 0; i < 5; i++) {
      verified.verify(issue(ca, "c-" + i), ca.certificate());
    }
    assertEquals(2, verified.size());
  }
}
