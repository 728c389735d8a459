package io.redisoperator.controller.resources;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers which certificates were verified as signed by which CA. Every pass checks each pod's
 * certificate against the cluster's CA, and an ECDSA verification costs far more than the rest of a
 * pass: a thousand clusters would spend a core on verifying the same certificates again. Keyed by a
 * SHA-256 of both encodings, so only exactly that certificate under exactly that CA counts as
 * verified; failures are not remembered. Bounded, the least recently used dropped first.
 */
final class VerifiedSignatures {
  private final int capacity;
  private final Map<String, Boolean> verified;

  VerifiedSignatures(int capacity) {
    this.capacity = capacity;
    this.verified = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** Throws like {@link X509Certificate#verify} when {@code leaf} is not signed by {@code ca}. */
  void verify(X509Certificate leaf, X509Certificate ca) throws GeneralSecurityException {
    String key = key(leaf, ca);
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

  synchronized int size() {
    return verified.size();
  }

  private static String key(X509Certificate leaf, X509Certificate ca)
      throws GeneralSecurityException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(leaf.getEncoded());
      digest.update((byte) 0);
      digest.update(ca.getEncoded());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
