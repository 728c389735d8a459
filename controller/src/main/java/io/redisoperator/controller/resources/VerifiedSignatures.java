package io.redisoperator.controller.resources;

import io.redisoperator.protocol.tls.IssuerIdentifiers;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Remembers which certificates were verified as signed by which CA. Every pass checks each pod's
 * certificate against the cluster's CA, and an ECDSA verification costs far more than the rest of a
 * pass: a thousand clusters would spend a core on verifying the same certificates again.
 *
 * <p>A certificate first seen naming the CA as its issuer ({@link IssuerIdentifiers}) is accepted
 * on that for {@code grace}, and its signature is verified at the first check after: a restarted
 * controller sees every certificate for the first time in its clusters' first passes, all at once,
 * and those verifications held every cluster's pollers back (docs/performance.md, "Density"). The
 * identifiers tell a certificate of another CA at once; only a certificate forged to name the
 * current CA waits out the grace to be issued again, and the controller's handshake refuses it
 * meanwhile (docs/security.md). A certificate that names another issuer, or none, is verified at
 * once: whether it is issued again stays the signature's call.
 *
 * <p>Keyed by the two certificates themselves, so only exactly that certificate under exactly that
 * CA counts as verified: a {@link java.security.cert.Certificate}'s equality and hash are those of
 * its encoding, the hash computed once per certificate object. The passes see the same objects
 * again ({@link ParsedPem} parses a Secret's text once), so a repeated check is an identity
 * comparison and costs no digest; an equal certificate parsed again compares its encodings.
 * Failures are not remembered. Bounded, the least recently used dropped first.
 */
final class VerifiedSignatures {
  /** Marks a pair whose signature was verified (or that this controller issued). */
  private static final Instant VERIFIED = Instant.MIN;

  private final int capacity;
  private final Duration grace;

  /** Per pair, {@link #VERIFIED} or when it was accepted on its identifiers. */
  private final Map<Pair, Instant> checked;

  VerifiedSignatures(int capacity, Duration grace) {
    this.capacity = capacity;
    this.grace = grace;
    this.checked = new LinkedHashMap<>(16, 0.75f, true);
  }

  /**
   * Throws like {@link X509Certificate#verify} when {@code leaf} is not signed by {@code ca}, or
   * returns while it is in its grace (above). A pair not verified yet whose seal matches ({@code
   * sealed}, asked only then; {@link CertificateSeal}) counts as verified at once: the seal proves
   * what the signature would.
   */
  void verify(X509Certificate leaf, X509Certificate ca, Instant now, BooleanSupplier sealed)
      throws GeneralSecurityException {
    Pair key = new Pair(leaf, ca);
    Instant accepted;
    synchronized (this) {
      accepted = checked.get(key);
    }
    if (accepted == VERIFIED) {
      return;
    }
    if (sealed.getAsBoolean()) {
      remember(key, VERIFIED);
      return;
    }
    if (accepted == null && IssuerIdentifiers.nameAsIssuer(leaf, ca)) {
      remember(key, now);
      return;
    }
    if (accepted != null && now.isBefore(accepted.plus(grace))) {
      return;
    }
    leaf.verify(ca.getPublicKey());
    remember(key, VERIFIED);
  }

  /**
   * Throws like {@link X509Certificate#verify} when {@code leaf} is not signed by {@code ca}, never
   * accepting it on its identifiers: what the handshake's trust of a stored certificate asks
   * ({@link StoredAgentCertificates}). At a restart this is where each pod certificate is verified,
   * once, and a pass after the grace finds it verified.
   */
  void verifySignature(X509Certificate leaf, X509Certificate ca) throws GeneralSecurityException {
    Pair key = new Pair(leaf, ca);
    synchronized (this) {
      if (checked.get(key) == VERIFIED) {
        return;
      }
    }
    leaf.verify(ca.getPublicKey());
    remember(key, VERIFIED);
  }

  /**
   * A certificate this controller has just issued from {@code ca}: signed by it by construction.
   * The next pass finds it in its Secret and checks it without an ECDSA verification, now and after
   * the grace.
   */
  void issued(X509Certificate leaf, X509Certificate ca) {
    remember(new Pair(leaf, ca), VERIFIED);
  }

  /** How many pairs are remembered, accepted on their identifiers or verified. */
  synchronized int size() {
    return checked.size();
  }

  private synchronized void remember(Pair key, Instant value) {
    checked.put(key, value);
    if (checked.size() > capacity) {
      checked.remove(checked.keySet().iterator().next());
    }
  }

  /**
   * A record compares its components with {@code Objects.equals}: the same object at once, else the
   * encodings.
   */
  private record Pair(X509Certificate leaf, X509Certificate ca) {}
}
