package io.redisoperator.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * The decision both of the controller's trusts share: no client certificate is ever accepted, and
 * an agent's certificate is one for the pod the controller meant to reach.
 */
class ControllerSideTrustTest {
  private static final Instant NOW = Instant.now();
  private static final String AUTH = "ECDHE_ECDSA";
  private final AgentsCa agents = new AgentsCa(NOW);
  private final CertificateAuthority ca = agents.ca;
  private final KeyMaterial pod0 = agents.pod0;
  private final KeyMaterial controller = agents.controller;

  /** Trusts any server chain: what is left to refuse a client is the shared decision alone. */
  private ControllerSideTrust trustingEveryServer() throws Exception {
    return new ControllerSideTrust(AgentTls.pkix(List.of(ca.certificate()))) {
      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}
    };
  }

  @Test
  void noClientCertificateIsTrustedNotEvenTheControllersOwn() throws Exception {
    ControllerSideTrust trust = trustingEveryServer();
    for (KeyMaterial client : List.of(controller, pod0)) {
      X509Certificate[] chain = chain(client);
      assertThrows(CertificateException.class, () -> trust.checkClientTrusted(chain, AUTH));
      assertThrows(
          CertificateException.class, () -> trust.checkClientTrusted(chain, AUTH, (Socket) null));
      assertThrows(
          CertificateException.class,
          () ->
              trust.checkClientTrusted(
                  chain, AUTH, SSLContext.getDefault().createSSLEngine("rc-0", 8000)));
    }
  }

  @Test
  void anAgentCertificateMustNameThePodAndServe() throws Exception {
    ControllerSideTrust.checkAgentIdentity(pod0.leaf(), "rc-0");
    ControllerSideTrust.checkAgentIdentity(pod0.leaf(), "RC-0");
    assertThrows(
        CertificateException.class,
        () -> ControllerSideTrust.checkAgentIdentity(pod0.leaf(), "rc-1"));
    // The controller's own certificate (clientAuth only) is no agent's, whatever it is asked for.
    assertThrows(
        CertificateException.class,
        () -> ControllerSideTrust.checkAgentIdentity(controller.leaf(), AgentTls.CONTROLLER_NAME));
    // A certificate naming the pod without the serverAuth usage is not the pod's agent either.
    KeyMaterial clientNamedLikeThePod =
        ca.issue(
            new CertificateRequest(
                "rc-0",
                AgentTls.podNames("rc-0", "ns"),
                List.of(),
                CertificateRequest.Usage.CLIENT,
                Duration.ofDays(1)),
            NOW);
    assertThrows(
        CertificateException.class,
        () -> ControllerSideTrust.checkAgentIdentity(clientNamedLikeThePod.leaf(), "rc-0"));
  }

  @Test
  void bothOfTheControllersTrustsAreThisOne() throws Exception {
    List<X509Certificate> cas = List.of(ca.certificate());
    X509ExtendedTrustManager shared = AgentTls.podTrust(cas);
    assertInstanceOf(ControllerSideTrust.class, shared);
    assertInstanceOf(ControllerSideTrust.class, AgentTls.podTrust(cas, StoredCertificates.NONE));
    assertInstanceOf(
        ControllerSideTrust.class, new AgentTls.NamedServer(AgentTls.pkix(cas), "rc-0"));
  }

  private static X509Certificate[] chain(KeyMaterial material) {
    return material.chain().toArray(X509Certificate[]::new);
  }
}
