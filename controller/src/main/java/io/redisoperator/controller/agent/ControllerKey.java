package io.redisoperator.controller.agent;

import io.redisoperator.controller.resources.AgentCertificates;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;

/**
 * The controller's one key pair, under which every cluster's agent CA certifies it ({@link
 * ControllerIdentity}). A key pair per cluster cost a restart a key generation per cluster on its
 * one core, before any of the cluster's pods could be polled. One key adds no exposure a
 * per-cluster key did not have: every per-cluster key lived in the same heap and was never written
 * anywhere, so whatever can read one can read all (docs/security.md). It is replaced every {@link
 * #ROTATION}, and certificates issued after that certify the new key: a key authenticates the
 * controller for at most {@link #ROTATION} plus a certificate's {@link
 * AgentCertificates#CONTROLLER_VALIDITY}, where a per-cluster key did for one validity.
 */
public final class ControllerKey {
  /** A key generation an hour costs nothing; a day's certificates then share 24 keys. */
  static final Duration ROTATION = Duration.ofHours(1);

  private KeyPair pair;
  private Instant createdAt;

  /**
   * The key pair to certify at {@code now}: a new one when the current one is {@link #ROTATION}
   * old.
   */
  public synchronized KeyPair current(Instant now) {
    if (pair == null || !now.isBefore(createdAt.plus(ROTATION))) {
      try {
        pair = CertificateAuthority.newKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot create the controller's key: " + e.getMessage(), e);
      }
      createdAt = now;
    }
    return pair;
  }
}
