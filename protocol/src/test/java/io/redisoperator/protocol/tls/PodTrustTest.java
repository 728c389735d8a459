package io.redisoperator.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * The controller's trust in a cluster's agents: a certificate the controller stored for the pod
 * skips the PKIX check and nothing else; any other goes through it.
 */
class PodTrustTest {
  private static final Instant NOW = Instant.now();
  private static final String AUTH = "ECDHE_ECDSA";
  private final CertificateAuthority ca =
      CertificateAuthority.create("agents", NOW, Duration.ofDays(3650));
  private final CertificateAuthority other =
      CertificateAuthority.create("agents", NOW, Duration.ofDays(3650));
  private final KeyMaterial pod0 = server(ca, "rc-0", NOW, Duration.ofDays(90));
  private final CountingPkix pkix = new CountingPkix(List.of(ca.certificate()));

  /** Holds exactly {@code leaf} for {@code podName} under {@code under}, as the controller does. */
  private static StoredCertificates storing(
      X509Certificate under, String podName, X509Certificate leaf) {
    return (c, p, l) -> c.equals(under) && p.equals(podName) && l.equals(leaf);
  }

  /** A broken store that vouches for anything: what the identity rules still refuse. */
  private static final StoredCertificates VOUCHES_FOR_ALL = (c, p, l) -> true;

  private PodTrust trust(StoredCertificates stored) {
    return new PodTrust(pkix, List.of(ca.certificate()), stored);
  }

  @Test
  void thePodsStoredCertificateNeedsNoPkixCheck() throws Exception {
    List<String> asked = new ArrayList<>();
    StoredCertificates stored = storing(ca.certificate(), "rc-0", pod0.leaf());
    PodTrust trust =
        trust(
            (c, p, l) -> {
              asked.add(p);
              return stored.holds(c, p, l);
            });

    trust.checkServerTrusted(chain(pod0), AUTH, engineFor("rc-0"));

    assertEquals(List.of("rc-0"), asked, "asked for the pod the engine was opened for");
    assertEquals(0, pkix.checks.get());
  }

  @Test
  void aCertificateEqualInBytesIsTheStoredOne() throws Exception {
    // The handshake parses the agent's certificate afresh: equality is by encoding.
    X509Certificate reparsed = Pem.certificates(pod0.certificatePem()).get(0);
    trust(storing(ca.certificate(), "rc-0", pod0.leaf()))
        .checkServerTrusted(new X509Certificate[] {reparsed}, AUTH, engineFor("rc-0"));
    assertEquals(0, pkix.checks.get());
  }

  @Test
  void anotherPodsStoredCertificateIsRefused() throws Exception {
    // Stored for rc-0, presented by whoever answers for rc-1: not rc-1's, so PKIX, then the name.
    PodTrust trust = trust(storing(ca.certificate(), "rc-0", pod0.leaf()));
    assertThrows(
        CertificateException.class,
        () -> trust.checkServerTrusted(chain(pod0), AUTH, engineFor("rc-1")));
    assertEquals(1, pkix.checks.get());
    // Even a store that vouched for it would not make it rc-1's.
    assertThrows(
        CertificateException.class,
        () -> trust(VOUCHES_FOR_ALL).checkServerTrusted(chain(pod0), AUTH, engineFor("rc-1")));
  }

  @Test
  void anExpiredStoredCertificateIsRefused() throws Exception {
    KeyMaterial expired = server(ca, "rc-0", NOW.minus(Duration.ofDays(100)), Duration.ofDays(90));
    assertThrows(
        CertificateExpiredException.class,
        () ->
            trust(storing(ca.certificate(), "rc-0", expired.leaf()))
                .checkServerTrusted(chain(expired), AUTH, engineFor("rc-0")));
    assertEquals(0, pkix.checks.get(), "refused on its dates, not by PKIX");
  }

  @Test
  void aStoredCertificateWithoutServerAuthIsRefused() throws Exception {
    KeyMaterial client =
        ca.issue(CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)), NOW);
    assertThrows(
        CertificateException.class,
        () ->
            trust(VOUCHES_FOR_ALL)
                .checkServerTrusted(chain(client), AUTH, engineFor(AgentTls.CONTROLLER_NAME)));
  }

  @Test
  void aCertificateStoredUnderAnotherCaIsCheckedInFullAndRefused() throws Exception {
    // Another cluster's CA (the same pod name in another namespace): not this trust's CA.
    KeyMaterial foreign = server(other, "rc-0", NOW, Duration.ofDays(90));
    PodTrust trust = trust(storing(other.certificate(), "rc-0", foreign.leaf()));
    assertThrows(
        CertificateException.class,
        () -> trust.checkServerTrusted(chain(foreign), AUTH, engineFor("rc-0")));
    assertEquals(1, pkix.checks.get());
  }

  @Test
  void anUnknownCertificateFallsBackToPkix() throws Exception {
    // Just re-issued, not yet seen: this CA's, so PKIX accepts it.
    KeyMaterial reissued = server(ca, "rc-0", NOW, Duration.ofDays(90));
    PodTrust trust = trust(storing(ca.certificate(), "rc-0", pod0.leaf()));
    trust.checkServerTrusted(chain(reissued), AUTH, engineFor("rc-0"));
    assertEquals(1, pkix.checks.get());
    // A foreign CA's, unknown: PKIX refuses it.
    KeyMaterial foreign = server(other, "rc-0", NOW, Duration.ofDays(90));
    assertThrows(
        CertificateException.class,
        () -> trust.checkServerTrusted(chain(foreign), AUTH, engineFor("rc-0")));
  }

  @Test
  void noPodNameNoTrust() throws Exception {
    PodTrust trust = trust(VOUCHES_FOR_ALL);
    assertThrows(
        CertificateException.class,
        () -> trust.checkServerTrusted(chain(pod0), AUTH, engineFor(null)));
    assertThrows(
        CertificateException.class,
        () -> trust.checkServerTrusted(chain(pod0), AUTH, (Socket) null));
    assertThrows(CertificateException.class, () -> trust.checkServerTrusted(chain(pod0), AUTH));
    assertThrows(
        CertificateException.class,
        () -> trust.checkServerTrusted(new X509Certificate[0], AUTH, engineFor("rc-0")));
  }

  private static KeyMaterial server(
      CertificateAuthority issuer, String pod, Instant from, Duration validity) {
    return issuer.issue(
        CertificateRequest.server(pod, AgentTls.podNames(pod, "ns"), validity), from);
  }

  private static X509Certificate[] chain(KeyMaterial material) {
    return material.chain().toArray(X509Certificate[]::new);
  }

  private static SSLEngine engineFor(String peerHost) throws Exception {
    return peerHost == null
        ? SSLContext.getDefault().createSSLEngine()
        : SSLContext.getDefault().createSSLEngine(peerHost, 8000);
  }

  /** The JDK's PKIX check of the CAs, counting the chains it was asked about. */
  private static final class CountingPkix extends X509ExtendedTrustManager {
    final AtomicInteger checks = new AtomicInteger();
    private final X509ExtendedTrustManager pkix;

    CountingPkix(List<X509Certificate> cas) {
      try {
        this.pkix = AgentTls.pkix(cas);
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      checks.incrementAndGet();
      pkix.checkServerTrusted(chain, authType);
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
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("not asked");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("not asked");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("not asked");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }
  }
}
