package io.redisoperator.controller.resources;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.Pem;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Certificates and CAs parsed from PEM text, remembered by that exact text. Every pass reads each
 * certificate Secret of its cluster, and parsing X.509 and EC keys again for the same unchanged
 * Secrets was a third of a steady pass's CPU. Keyed by the content itself, so a changed Secret is
 * parsed afresh and nothing can be stale; an unreadable text is remembered as unreadable. Bounded
 * in size, and an entry nothing has read for a while (its cluster or Secret gone) is dropped.
 */
final class ParsedPem {
  private static final Duration IDLE = Duration.ofMinutes(10);

  private final Cache<String, List<X509Certificate>> certificates;
  private final Cache<Pair, Optional<CertificateAuthority>> authorities;

  /** Enough for every certificate of a few thousand clusters. */
  static final ParsedPem SHARED = new ParsedPem(16_384);

  ParsedPem(int capacity) {
    this.certificates = bounded(capacity).build();
    this.authorities = bounded(capacity).build();
  }

  private static Caffeine<Object, Object> bounded(int capacity) {
    // Evictions run on the caller's thread: no pool threads for this.
    return Caffeine.newBuilder()
        .maximumSize(capacity)
        .expireAfterAccess(IDLE)
        .executor(Runnable::run);
  }

  /** The certificates {@code pem} holds, in order; empty when it holds none or is unreadable. */
  List<X509Certificate> certificates(String pem) {
    return certificates.get(pem, ParsedPem::parseCertificates);
  }

  /** The CA a certificate and its key make, empty when unreadable or not a CA. */
  Optional<CertificateAuthority> authority(String certificatePem, String keyPem) {
    return authorities.get(new Pair(certificatePem, keyPem), ParsedPem::parseAuthority);
  }

  long size() {
    certificates.cleanUp();
    authorities.cleanUp();
    return certificates.estimatedSize() + authorities.estimatedSize();
  }

  private static List<X509Certificate> parseCertificates(String pem) {
    try {
      return List.copyOf(Pem.certificates(pem));
    } catch (GeneralSecurityException e) {
      return List.of();
    }
  }

  private static Optional<CertificateAuthority> parseAuthority(Pair pem) {
    try {
      return Optional.of(CertificateAuthority.fromPem(pem.certificate(), pem.key()));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private record Pair(String certificate, String key) {
    @Override
    public String toString() {
      return "Pair[certificate]"; // never the key
    }
  }
}
