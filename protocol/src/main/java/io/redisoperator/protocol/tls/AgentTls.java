package io.redisoperator.protocol.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * Mutual TLS of the agent API. The agent serves with its pod's certificate and accepts only a
 * client certificate issued by the cluster's agent CA for {@link #CONTROLLER_NAME} with the
 * clientAuth usage: the pods' own certificates (serverAuth only, named after their pod) cannot call
 * a sibling. The controller accepts an agent only when its certificate chains to the same CA and
 * names the pod it meant to reach, whatever IP answered; a certificate that is exactly the one the
 * controller keeps for that pod ({@link StoredCertificates}) is known to chain without the PKIX
 * check.
 */
public final class AgentTls {
  /** The common name of the controller's client certificate, the only client an agent serves. */
  public static final String CONTROLLER_NAME = "redis-operator-controller";

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int SAN_DNS = 2;

  private AgentTls() {}

  /** The agent's side: its own certificate; only the controller's client certificate is trusted. */
  public static SSLContext serverContext(KeyMaterial own, List<X509Certificate> trustedCas)
      throws GeneralSecurityException {
    return context(own, new ControllerOnly(pkix(trustedCas)));
  }

  /**
   * The controller's side towards one pod: its client certificate; only that pod's server
   * certificate is trusted.
   */
  public static SSLContext clientContext(
      KeyMaterial controller, List<X509Certificate> trustedCas, String podName)
      throws GeneralSecurityException {
    return context(controller, new NamedServer(pkix(trustedCas), podName));
  }

  /**
   * The controller's side towards every pod of one cluster, for an HTTP client shared by all pods:
   * a server certificate is trusted only when it chains to the CAs and names the pod the TLS engine
   * was opened for, its peer host (the client connects to a pod's IP under the pod's name). A
   * connection without an engine, or an engine without a peer host, is refused.
   */
  public static X509ExtendedTrustManager podTrust(List<X509Certificate> trustedCas)
      throws GeneralSecurityException {
    return podTrust(trustedCas, StoredCertificates.NONE);
  }

  /**
   * {@link #podTrust(List)}, trusting a certificate that is exactly the one {@code stored} holds
   * for the pod under one of the CAs without the PKIX check ({@link PodTrust}).
   */
  public static X509ExtendedTrustManager podTrust(
      List<X509Certificate> trustedCas, StoredCertificates stored) throws GeneralSecurityException {
    return new PodTrust(pkix(trustedCas), trustedCas, stored);
  }

  /**
   * The key manager presenting {@code own} (the controller's client certificate, or an agent's
   * server certificate), without a key store ({@link OwnKeyManager}).
   */
  public static X509ExtendedKeyManager keyManager(KeyMaterial own) {
    return new OwnKeyManager(own);
  }

  /** The DNS names a pod's agent certificate carries; the first is what the controller checks. */
  public static List<String> podNames(String podName, String namespace) {
    return List.of(podName, podName + "." + namespace);
  }

  private static SSLContext context(KeyMaterial own, TrustManager trust)
      throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {keyManager(own)}, new TrustManager[] {trust}, null);
    return context;
  }

  static X509ExtendedTrustManager pkix(List<X509Certificate> trustedCas)
      throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    int i = 0;
    for (X509Certificate ca : trustedCas) {
      store.setCertificateEntry("ca-" + i++, ca);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager");
  }

  static boolean hasUsage(X509Certificate leaf, String oid) throws CertificateParsingException {
    List<String> usages = leaf.getExtendedKeyUsage();
    return usages != null && usages.contains(oid);
  }

  static String commonName(X509Certificate leaf) {
    for (String part : leaf.getSubjectX500Principal().getName(X500Principal.RFC2253).split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3);
      }
    }
    return "";
  }

  static boolean namesDns(X509Certificate leaf, String name) throws CertificateParsingException {
    Collection<List<?>> names = leaf.getSubjectAlternativeNames();
    if (names == null) {
      return false;
    }
    for (List<?> entry : names) {
      if (entry.size() == 2
          && Integer.valueOf(SAN_DNS).equals(entry.get(0))
          && name.equalsIgnoreCase((String) entry.get(1))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Checks the chain against the CAs, then who it is; the host name of the connection plays no
   * part.
   */
  abstract static class IdentityCheck extends X509ExtendedTrustManager {
    final X509ExtendedTrustManager pkix;

    IdentityCheck(X509ExtendedTrustManager pkix) {
      this.pkix = pkix;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }
  }

  private static final class ControllerOnly extends IdentityCheck {
    ControllerOnly(X509ExtendedTrustManager pkix) {
      super(pkix);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkClientTrusted(chain, authType);
      X509Certificate leaf = chain[0];
      if (!CONTROLLER_NAME.equals(commonName(leaf)) || !hasUsage(leaf, CLIENT_AUTH)) {
        throw new CertificateException(leaf.getSubjectX500Principal() + " is not the controller");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the agent's TLS context only serves");
    }
  }

  /** The controller's trust in the one pod it named: PKIX, then the pod's identity. */
  static final class NamedServer extends ControllerSideTrust {
    private final String podName;

    NamedServer(X509ExtendedTrustManager pkix, String podName) {
      super(pkix);
      this.podName = podName;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      pkix.checkServerTrusted(chain, authType);
      checkAgentIdentity(chain[0], podName);
    }
  }
}
