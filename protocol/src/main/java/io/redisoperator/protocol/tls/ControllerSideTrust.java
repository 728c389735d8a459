package io.redisoperator.protocol.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The controller's side of the agent API's mutual TLS, one decision for both of its trusts: in the
 * one pod it named ({@link AgentTls#clientContext}) and in every pod of a cluster ({@link
 * PodTrust}). The controller only connects, so a client certificate is always refused; an agent's
 * certificate must be one for the pod the controller meant to reach. How the chain is known to be
 * the CA's (PKIX, or the certificate the controller stored) is each trust's own.
 */
abstract class ControllerSideTrust extends AgentTls.IdentityCheck {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  ControllerSideTrust(X509ExtendedTrustManager pkix) {
    super(pkix);
  }

  /**
   * Refused whatever the chain: no client ever reaches the controller's TLS contexts, and a trust
   * that judged one would be a second way in. Final, and the socket and engine variants lead here.
   */
  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("the controller's TLS context only connects");
  }

  /** An agent's certificate for {@code podName}: the serverAuth usage, and the pod's name. */
  static void checkAgentIdentity(X509Certificate leaf, String podName) throws CertificateException {
    if (!AgentTls.hasUsage(leaf, SERVER_AUTH) || !AgentTls.namesDns(leaf, podName)) {
      throw new CertificateException(
          leaf.getSubjectX500Principal() + " is not the agent of " + podName);
    }
  }
}
