package io.redisoperator.controller.resources;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which certificates were verified as signed by which CA. Every pass checks each pod's
 * certificate against the cluster's CA, and an ECDSA verification costs far more than the rest of a
 * pass: a thousand clusters would spend a core on verifying the same certificates again. Keyed by
 * the two certificates themselves, so only exactly that certificate under exactly that CA counts as
 * verified: a {@link java.security.cert.Certificate}'s equality and hash are those of its encoding,
 * the hash computed once per certificate object. The passes see the same objects again ({@link
 * ParsedPem} parses a Secret's text once), so a repeated check is an identity comparison and costs
 * no digest; an equal certificate parsed again compares its encodings. Failures are not remembered.
 * Bounded, the least recently used dropped first.
 */
final class VerifiedSignatures {
  private final int capacity;
  private final Map<Pair, Boolean> verified;

  VerifiedSignatures(int capacity) {
    this.capacity = capacity;
    this.verified = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** Throws like {@link X509Certificate#verify} when {@code leaf} is not signed by {@code ca}. */
  void verify(X509Certificate leaf, X509Certificate ca) throws GeneralSecurityException {
    Pair key = new Pair(leaf, ca);
    synchronized (this) {
      if (verified.containsKey(key)) {
        return;
      }
    }
    leaf.verify(ca.getPublicKey());
    synchronized (this) {
      verified.put(key, Boolean.TRUE);
      if (verified.size() > capacity) {
        verified.remove(verified.keySet().iterator().next());
      }
    }
  }

  /**
   * A certificate this controller has just issued from {@code ca}: signed by it by construction.
   * The next pass finds it in its Secret and checks it; at start-up that first check was an ECDSA
   * verification for every pod (4 % of the controller's CPU at N=300).
   */
  synchronized void issued(X509Certificate leaf, X509Certificate ca) {
    verified.put(new Pair(leaf, ca), Boolean.TRUE);
    if (verified.size() > capacity) {
      verified.remove(verified.keySet().iterator().next());
    }
  }

  synchronized int size() {
    return verified.size();
  }

  /**
   * A record compares its components with {@code Objects.equals}: the same object at once, else the
   * encodings.
   */
  private record Pair(X509Certificate leaf, X509Certificate ca) {}
}
