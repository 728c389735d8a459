package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.Pem;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
  void aSecondCheckOfTheSamePairReadsNeitherEncodingAgain() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CountingCertificate leaf = new CountingCertificate(issue(ca, "c-0"));
    CountingCertificate caCertificate = new CountingCertificate(ca.certificate());
    VerifiedSignatures verified = new VerifiedSignatures(10);

    verified.verify(leaf, caCertificate);
    int leafReads = leaf.encodingsRead.get();
    int caReads = caCertificate.encodingsRead.get();
    verified.verify(leaf, caCertificate);
    verified.verify(leaf, caCertificate);

    assertEquals(leafReads, leaf.encodingsRead.get(), "no digest of the leaf again");
    assertEquals(caReads, caCertificate.encodingsRead.get(), "no digest of the CA again");
  }

  @Test
  void anotherCertificateIsNotTakenForAVerifiedOne() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    // Same CA name, same pod: only the key and signature tell it apart.
    CertificateAuthority impostor = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    X509Certificate leaf = issue(ca, "c-0");
    VerifiedSignatures verified = new VerifiedSignatures(10);
    verified.verify(leaf, ca.certificate());

    X509Certificate forged = issue(impostor, "c-0");
    assertThrows(GeneralSecurityException.class, () -> verified.verify(forged, ca.certificate()));
    // Even one whose hash collides with the verified one's is compared by its encoding.
    CountingCertificate colliding = new CountingCertificate(forged, leaf.hashCode());
    assertEquals(leaf.hashCode(), colliding.hashCode());
    assertThrows(
        GeneralSecurityException.class, () -> verified.verify(colliding, ca.certificate()));
    // The same certificate parsed again is another object, and still the verified one.
    X509Certificate reparsed = Pem.certificates(Pem.encode(List.of(leaf))).get(0);
    assertNotSame(leaf, reparsed);
    verified.verify(reparsed, ca.certificate());
    assertEquals(1, verified.size());
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

  /** A certificate the controller issued is not verified again when the next pass reads it. */
  @Test
  void aCertificateIssuedHereIsNotVerifiedAgain() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    X509Certificate leaf = issue(ca, "c-0");
    VerifiedSignatures verified = new VerifiedSignatures(10);
    verified.issued(leaf, ca.certificate());

    // As the next pass sees it: parsed again from its Secret's text.
    CountingCertificate read =
        new CountingCertificate(Pem.certificates(Pem.encode(List.of(leaf))).get(0));
    verified.verify(read, ca.certificate());
    assertEquals(0, read.verifications.get());

    CertificateAuthority impostor = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CountingCertificate forged = new CountingCertificate(issue(impostor, "c-0"));
    assertThrows(GeneralSecurityException.class, () -> verified.verify(forged, ca.certificate()));
    assertEquals(1, forged.verifications.get(), "another certificate is verified");
  }
}
