package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParsedPemTest {
  private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

  private static CertificateAuthority ca(String name) {
    return CertificateAuthority.create(name, NOW, Duration.ofDays(10));
  }

  @Test
  void theSameTextIsParsedOnceAndAnotherTextAfresh() throws Exception {
    ParsedPem parsed = new ParsedPem(10);
    CertificateAuthority a = ca("a");
    CertificateAuthority b = ca("b");
    String pem = a.material().certificatePem();

    List<X509Certificate> first = parsed.certificates(pem);
    assertEquals(Pem.certificates(pem), first);
    assertSame(first, parsed.certificates(new String(pem)), "answered from memory");

    List<X509Certificate> other = parsed.certificates(b.material().certificatePem());
    assertEquals(List.of(b.certificate()), other);
    assertEquals(2, parsed.size());
  }

  @Test
  void unreadableTextIsEmptyAndStaysSo() {
    ParsedPem parsed = new ParsedPem(10);
    assertTrue(parsed.certificates("not a certificate").isEmpty());
    assertTrue(parsed.certificates("not a certificate").isEmpty());
    assertEquals(
        Optional.empty(), parsed.authority(ca("a").material().certificatePem(), "not a key"));
  }

  @Test
  void anAuthorityIsReadOncePerCertificateAndKey() {
    ParsedPem parsed = new ParsedPem(10);
    CertificateAuthority a = ca("a");
    CertificateAuthority b = ca("b");
    String cert = a.material().certificatePem();
    String key = a.material().keyPem();

    CertificateAuthority read = parsed.authority(cert, key).orElseThrow();
    assertEquals(a.certificate(), read.certificate());
    assertSame(read, parsed.authority(cert, key).orElseThrow());

    CertificateAuthority renewed =
        parsed.authority(b.material().certificatePem(), b.material().keyPem()).orElseThrow();
    assertNotSame(read, renewed);
    assertEquals(b.certificate(), renewed.certificate());
  }

  @Test
  void bounded() {
    ParsedPem parsed = new ParsedPem(2);
    for (int i = 0; i < 5; i++) {
      parsed.certificates(ca("c" + i).material().certificatePem());
    }
    assertTrue(parsed.size() <= 2, "at most the capacity: " + parsed.size());
  }
}
