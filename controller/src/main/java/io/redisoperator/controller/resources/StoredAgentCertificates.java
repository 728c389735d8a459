package io.redisoperator.controller.resources;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.redisoperator.protocol.tls.StoredCertificates;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;

/**
 * The agent certificate the controller keeps for each pod, under the CA it was issued from: the one
 * it has just issued, or the one a pass found current in the pod's Secret. The agents' HTTP clients
 * trust a certificate found here without the JDK's PKIX check ({@link
 * io.redisoperator.protocol.tls.AgentTls#podTrust}): at a restart every first contact checked its
 * pod's certificate in full, a fifth of the controller's CPU per handshake, for certificates the
 * controller had issued and its first pass had just verified.
 *
 * <p>A certificate counts only when it is byte for byte the one stored for that pod under that CA
 * and its signature by that CA is verified ({@link SignatureCheck}, answered from memory for the
 * certificates the passes check), so a Secret changed behind the controller's back cannot make it
 * trust a certificate its CA did not sign. Bounded, and an entry no pass or handshake has read for
 * a while (its pod gone) is dropped; a certificate not found here is checked in full.
 */
final class StoredAgentCertificates implements StoredCertificates {
  private static final Duration IDLE = Duration.ofMinutes(10);

  /** Throws like {@link X509Certificate#verify} when {@code leaf} is not signed by {@code ca}. */
  @FunctionalInterface
  interface SignatureCheck {
    void verify(X509Certificate leaf, X509Certificate ca) throws GeneralSecurityException;
  }

  private final Cache<Key, X509Certificate> stored;
  private final SignatureCheck signatures;

  StoredAgentCertificates(int capacity, SignatureCheck signatures) {
    // Evictions run on the caller's thread: no pool threads for this.
    this.stored =
        Caffeine.newBuilder()
            .maximumSize(capacity)
            .expireAfterAccess(IDLE)
            .executor(Runnable::run)
            .build();
    this.signatures = signatures;
  }

  /** {@code leaf} is now what {@code podName}'s agent presents under {@code ca}. */
  void store(X509Certificate ca, String podName, X509Certificate leaf) {
    stored.put(new Key(ca, podName), leaf);
  }

  @Override
  public boolean holds(X509Certificate ca, String podName, X509Certificate leaf) {
    X509Certificate mine = stored.getIfPresent(new Key(ca, podName));
    if (mine == null || !mine.equals(leaf)) {
      return false;
    }
    try {
      signatures.verify(mine, ca);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  long size() {
    stored.cleanUp();
    return stored.estimatedSize();
  }

  /** A certificate's equality and hash are those of its encoding, the hash kept per object. */
  private record Key(X509Certificate ca, String podName) {}
}
