package io.redisoperator.protocol.tls;

import java.security.cert.X509Certificate;

/**
 * The agent certificates the controller issued and keeps, at most one per pod and CA: what each
 * pod's agent is expected to present. {@link AgentTls#podTrust(java.util.List, StoredCertificates)}
 * accepts a server certificate found here without building its path to the CA.
 */
@FunctionalInterface
public interface StoredCertificates {
  /** Knows no certificate: every agent's certificate is checked in full. */
  StoredCertificates NONE = (ca, podName, leaf) -> false;

  /**
   * Whether {@code leaf} is, byte for byte, the certificate stored for {@code podName} under {@code
   * ca}, and known to be signed by {@code ca} (issued from it, or its signature verified).
   */
  boolean holds(X509Certificate ca, String podName, X509Certificate leaf);
}
