package io.redisoperator.protocol.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The controller's trust in the agents of one cluster, for an HTTP client shared by all its pods
 * ({@link AgentTls#podTrust(List, StoredCertificates)}): a server certificate is trusted only when
 * it names the pod the TLS engine was opened for (its peer host), carries the serverAuth usage, is
 * within its validity dates, and is signed by one of the CAs.
 *
 * <p>How the signature is known: a certificate that is exactly the one the controller stored for
 * that pod under one of the CAs ({@link StoredCertificates}) was issued by the controller itself,
 * so it needs no path building and no signature check; any other (just re-issued, not yet seen, or
 * foreign) goes through the JDK's PKIX check. Either way the identity rules above apply, and the
 * handshake's CertificateVerify still proves the agent holds the certificate's key.
 */
final class PodTrust extends ControllerSideTrust {
  private static final int KEY_USAGE_DIGITAL_SIGNATURE = 0;

  private final List<X509Certificate> trustedCas;
  private final StoredCertificates stored;

  PodTrust(
      X509ExtendedTrustManager pkix, List<X509Certificate> trustedCas, StoredCertificates stored) {
    super(pkix);
    this.trustedCas = List.copyOf(trustedCas);
    this.stored = stored;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    String podName = engine == null ? null : engine.getPeerHost();
    if (podName == null || podName.isEmpty()) {
      throw new CertificateException("no pod name to check the agent's certificate against");
    }
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the agent of " + podName + " presented no certificate");
    }
    X509Certificate leaf = chain[0];
    if (isStored(podName, leaf)) {
      // The checks PKIX makes of a leaf whose signature is known good: its dates, and a key
      // usage (when it has one) that allows signing the handshake.
      leaf.checkValidity();
      boolean[] keyUsage = leaf.getKeyUsage();
      if (keyUsage != null && !keyUsage[KEY_USAGE_DIGITAL_SIGNATURE]) {
        throw new CertificateException(leaf.getSubjectX500Principal() + " may not sign");
      }
    } else {
      pkix.checkServerTrusted(chain, authType);
    }
    checkAgentIdentity(leaf, podName);
  }

  private boolean isStored(String podName, X509Certificate leaf) {
    for (X509Certificate ca : trustedCas) {
      if (stored.holds(ca, podName, leaf)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("no pod name to check the agent's certificate against");
  }
}
