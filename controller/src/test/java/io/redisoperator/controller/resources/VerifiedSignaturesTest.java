package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.Pem;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class VerifiedSignaturesTest {
  private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");
  private static final Duration GRACE = Duration.ofMinutes(10);

  /** No seal matches: what this test shows is the signature's and the identifiers' part. */
  private static final BooleanSupplier UNSEALED = () -> false;

  private static X509Certificate issue(CertificateAuthority ca, String pod) throws Exception {
    return ca.issue(
            CertificateRequest.server(pod, AgentTls.podNames(pod, "ns"), Duration.ofDays(1)), NOW)
        .leaf();
  }

  @Test
  void aCertificateIsAcceptedOnceUnderItsCaAndNeverUnderAnother() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CertificateAuthority other = CertificateAuthority.create("b", NOW, Duration.ofDays(10));
    X509Certificate leaf = issue(ca, "c-0");
    VerifiedSignatures verified = new VerifiedSignatures(10, GRACE);

    verified.verify(leaf, ca.certificate(), NOW, UNSEALED);
    verified.verify(leaf, ca.certificate(), NOW, UNSEALED);
    assertEquals(1, verified.size(), "the second check is answered from memory");
    verified.verify(leaf, ca.certificate(), NOW.plus(GRACE), UNSEALED);
    verified.verify(leaf, ca.certificate(), NOW.plus(GRACE), UNSEALED);
    assertEquals(1, verified.size(), "verified after the grace, in the same place");

    assertThrows(
        GeneralSecurityException.class,
        () -> verified.verify(leaf, other.certificate(), NOW, UNSEALED));
    assertThrows(
        GeneralSecurityException.class,
        () -> verified.verify(leaf, other.certificate(), NOW, UNSEALED));
    assertEquals(1, verified.size(), "a failure is not remembered");
  }

  @Test
  void aSecondCheckOfTheSamePairReadsNeitherEncodingAgain() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CountingCertificate leaf = new CountingCertificate(issue(ca, "c-0"));
    CountingCertificate caCertificate = new CountingCertificate(ca.certificate());
    VerifiedSignatures verified = new VerifiedSignatures(10, GRACE);

    verified.verify(leaf, caCertificate, NOW, UNSEALED);
    int leafReads = leaf.encodingsRead.get();
    int caReads = caCertificate.encodingsRead.get();
    verified.verify(leaf, caCertificate, NOW, UNSEALED);
    verified.verify(leaf, caCertificate, NOW, UNSEALED);

    assertEquals(leafReads, leaf.encodingsRead.get(), "no digest of the leaf again");
    assertEquals(caReads, caCertificate.encodingsRead.get(), "no digest of the CA again");
  }

  @Test
  void anotherCertificateIsNotTakenForAVerifiedOne() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    // Same CA name, same pod: only the key and signature tell it apart.
    CertificateAuthority impostor = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    X509Certificate leaf = issue(ca, "c-0");
    VerifiedSignatures verified = new VerifiedSignatures(10, GRACE);
    verified.verify(leaf, ca.certificate(), NOW, UNSEALED);

    X509Certificate forged = issue(impostor, "c-0");
    assertThrows(
        GeneralSecurityException.class,
        () -> verified.verify(forged, ca.certificate(), NOW, UNSEALED));
    // Even one whose hash collides with the verified one's is compared by its encoding.
    CountingCertificate colliding = new CountingCertificate(forged, leaf.hashCode());
    assertEquals(leaf.hashCode(), colliding.hashCode());
    assertThrows(
        GeneralSecurityException.class,
        () -> verified.verify(colliding, ca.certificate(), NOW, UNSEALED));
    // The same certificate parsed again is another object, and still the verified one.
    X509Certificate reparsed = Pem.certificates(Pem.encode(List.of(leaf))).get(0);
    assertNotSame(leaf, reparsed);
    verified.verify(reparsed, ca.certificate(), NOW, UNSEALED);
    assertEquals(1, verified.size());
  }

  @Test
  void theLeastRecentlyUsedGoFirst() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    VerifiedSignatures verified = new VerifiedSignatures(2, GRACE);
    for (int i = 0; i < 5; i++) {
      verified.verify(issue(ca, "c-" + i), ca.certificate(), NOW, UNSEALED);
    }
    assertEquals(2, verified.size());
  }

  /** A certificate the controller issued is not verified again when the next pass reads it. */
  @Test
  void aCertificateIssuedHereIsNotVerifiedAgain() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    X509Certificate leaf = issue(ca, "c-0");
    VerifiedSignatures verified = new VerifiedSignatures(10, GRACE);
    verified.issued(leaf, ca.certificate());

    // As the next pass sees it: parsed again from its Secret's text.
    CountingCertificate read =
        new CountingCertificate(Pem.certificates(Pem.encode(List.of(leaf))).get(0));
    verified.verify(read, ca.certificate(), NOW, UNSEALED);
    assertEquals(0, read.verifications.get());

    CertificateAuthority impostor = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CountingCertificate forged = new CountingCertificate(issue(impostor, "c-0"));
    assertThrows(
        GeneralSecurityException.class,
        () -> verified.verify(forged, ca.certificate(), NOW, UNSEALED));
    assertEquals(1, forged.verifications.get(), "another certificate is verified");
  }

  /**
   * A restart's first passes see every pod's certificate for the first time: each is accepted on
   * the identifiers naming its CA, and its signature verified once, at the first check past the
   * grace.
   */
  @Test
  void aCertificateNamingItsCaIsAcceptedAtOnceAndVerifiedOnceAfterTheGrace() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CountingCertificate leaf = new CountingCertificate(issue(ca, "c-0"));
    VerifiedSignatures verified = new VerifiedSignatures(10, GRACE);

    verified.verify(leaf, ca.certificate(), NOW, UNSEALED);
    verified.verify(leaf, ca.certificate(), NOW.plus(GRACE).minusSeconds(1), UNSEALED);
    assertEquals(0, leaf.verifications.get(), "no ECDSA verification within the grace");

    verified.verify(leaf, ca.certificate(), NOW.plus(GRACE), UNSEALED);
    verified.verify(leaf, ca.certificate(), NOW.plus(GRACE.multipliedBy(5)), UNSEALED);
    assertEquals(1, leaf.verifications.get(), "verified once, past the grace");
  }

  /**
   * Identifiers are copied as easily as written: a certificate forged to name the current CA (its
   * issuer name and key identifier, another key's signature) passes for the grace only.
   */
  @Test
  void aCertificateForgedToNameTheCaIsRefusedOnceTheGraceHasPassed() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    X509Certificate forged = forgedNaming(ca.certificate(), "c-0");
    VerifiedSignatures verified = new VerifiedSignatures(10, GRACE);

    verified.verify(forged, ca.certificate(), NOW, UNSEALED);
    assertThrows(
        GeneralSecurityException.class,
        () -> verified.verify(forged, ca.certificate(), NOW.plus(GRACE), UNSEALED));
    assertThrows(
        GeneralSecurityException.class,
        () -> verified.verify(forged, ca.certificate(), NOW.plus(GRACE).plusSeconds(1), UNSEALED),
        "and again at every check");
  }

  /**
   * The handshake's trust of a stored certificate asks for its signature: a certificate accepted on
   * its identifiers is verified then, once, and a forged one is refused at once.
   */
  @Test
  void aSignatureCheckNeverTakesTheIdentifiersForIt() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CountingCertificate leaf = new CountingCertificate(issue(ca, "c-0"));
    X509Certificate forged = forgedNaming(ca.certificate(), "c-1");
    VerifiedSignatures verified = new VerifiedSignatures(10, GRACE);
    verified.verify(leaf, ca.certificate(), NOW, UNSEALED);
    verified.verify(forged, ca.certificate(), NOW, UNSEALED);

    verified.verifySignature(leaf, ca.certificate());
    verified.verifySignature(leaf, ca.certificate());
    assertEquals(1, leaf.verifications.get(), "verified once, then remembered");
    verified.verify(leaf, ca.certificate(), NOW.plus(GRACE), UNSEALED);
    assertEquals(1, leaf.verifications.get(), "a pass after the grace finds it verified");
    assertThrows(
        GeneralSecurityException.class, () -> verified.verifySignature(forged, ca.certificate()));
  }

  /** A replaced CA keeps its name (the agent CA's is the cluster's): its key tells it apart. */
  @Test
  void aCertificateOfAnotherCaOfTheSameNameIsRefusedAtOnce() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CertificateAuthority replaced = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    CountingCertificate leaf = new CountingCertificate(issue(replaced, "c-0"));
    VerifiedSignatures verified = new VerifiedSignatures(10, GRACE);

    assertThrows(
        GeneralSecurityException.class,
        () -> verified.verify(leaf, ca.certificate(), NOW, UNSEALED));
    assertEquals(1, leaf.verifications.get(), "its signature decided, not its identifiers");
    assertEquals(0, verified.size());
  }

  /** Without an authority key identifier nothing names the issuer: verified at once. */
  @Test
  void aCertificateWithoutIdentifiersIsVerifiedAtOnce() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("a", NOW, Duration.ofDays(10));
    // Self-signed: its issuer is its subject, and it has no authority key identifier.
    CountingCertificate self = new CountingCertificate(ca.certificate());
    VerifiedSignatures verified = new VerifiedSignatures(10, GRACE);

    verified.verify(self, ca.certificate(), NOW, UNSEALED);
    assertEquals(1, self.verifications.get());
    verified.verify(self, ca.certificate(), NOW.plus(GRACE), UNSEALED);
    assertEquals(1, self.verifications.get(), "remembered as verified");
  }

  /** The issuer name and key identifier of {@code ca}, a key and signature of its own. */
  private static X509Certificate forgedNaming(X509Certificate ca, String pod) throws Exception {
    KeyPair own = CertificateAuthority.newKeyPair();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ca,
            BigInteger.TEN,
            Date.from(NOW.minusSeconds(60)),
            Date.from(NOW.plus(Duration.ofDays(1))),
            new X500Name("CN=" + pod),
            own.getPublic());
    builder.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(own.getPrivate())));
  }
}
