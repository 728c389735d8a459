package io.redisoperator.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class AgentTlsTest {
  private static final Instant NOW = Instant.now();
  private final AgentsCa agents = new AgentsCa(NOW);
  private final CertificateAuthority ca = agents.ca;
  private final KeyMaterial pod0 = agents.pod0;
  private final KeyMaterial controller = agents.controller;

  @Test
  void theKeyManagerPresentsItsOwnKeyForTheKeyTypesItFits() {
    javax.net.ssl.X509ExtendedKeyManager keys = AgentTls.keyManager(controller);
    String alias = keys.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null);
    assertEquals(controller.key(), keys.getPrivateKey(alias));
    assertEquals(controller.leaf(), keys.getCertificateChain(alias)[0]);
    assertEquals(alias, keys.chooseEngineServerAlias("EC_EC", null, null));
    assertEquals(null, keys.chooseEngineClientAlias(new String[] {"RSA"}, null, null));
    assertEquals(null, keys.getPrivateKey("another"));
  }

  @Test
  void theControllerReachesTheAgentItNamed() throws Exception {
    assertTrue(
        handshake(
            AgentTls.serverContext(pod0, trust()),
            AgentTls.clientContext(controller, trust(), "rc-0")));
  }

  @Test
  void aPodCertificateCannotActAsTheController() throws Exception {
    KeyMaterial pod1 =
        ca.issue(
            CertificateRequest.server("rc-1", AgentTls.podNames("rc-1", "ns"), Duration.ofDays(90)),
            NOW);
    assertFalse(
        handshake(
            AgentTls.serverContext(pod0, trust()), AgentTls.clientContext(pod1, trust(), "rc-0")));
    // Even a client certificate of this CA needs the controller's name.
    KeyMaterial impostor = ca.issue(CertificateRequest.client("rc-1", Duration.ofDays(1)), NOW);
    assertFalse(
        handshake(
            AgentTls.serverContext(pod0, trust()),
            AgentTls.clientContext(impostor, trust(), "rc-0")));
  }

  @Test
  void aControllerCertificateOfAnotherCaIsRefused() throws Exception {
    CertificateAuthority other = CertificateAuthority.create("agents", NOW, Duration.ofDays(3650));
    KeyMaterial foreign =
        other.issue(CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)), NOW);
    assertFalse(
        handshake(
            AgentTls.serverContext(pod0, trust()),
            AgentTls.clientContext(foreign, trust(), "rc-0")));
  }

  @Test
  void theControllerRefusesAnAgentNamedOtherwise() throws Exception {
    assertFalse(
        handshake(
            AgentTls.serverContext(pod0, trust()),
            AgentTls.clientContext(controller, trust(), "rc-1")));
  }

  @Test
  void theSharedPodTrustHoldsEachConnectionToThePodItWasOpenedFor() throws Exception {
    javax.net.ssl.X509ExtendedTrustManager trust = AgentTls.podTrust(trust());
    X509Certificate[] chain = pod0.chain().toArray(X509Certificate[]::new);
    trust.checkServerTrusted(chain, "ECDHE_ECDSA", engineFor("rc-0"));
    assertThrows(
        java.security.cert.CertificateException.class,
        () -> trust.checkServerTrusted(chain, "ECDHE_ECDSA", engineFor("rc-1")));
    assertThrows(
        java.security.cert.CertificateException.class,
        () -> trust.checkServerTrusted(chain, "ECDHE_ECDSA", engineFor(null)));
    // Not this CA's: refused whatever its name.
    CertificateAuthority other = CertificateAuthority.create("agents", NOW, Duration.ofDays(3650));
    KeyMaterial foreign =
        other.issue(
            CertificateRequest.server("rc-0", AgentTls.podNames("rc-0", "ns"), Duration.ofDays(9)),
            NOW);
    assertThrows(
        java.security.cert.CertificateException.class,
        () ->
            trust.checkServerTrusted(
                foreign.chain().toArray(X509Certificate[]::new), "ECDHE_ECDSA", engineFor("rc-0")));
    // The controller's own certificate is no agent's.
    assertThrows(
        java.security.cert.CertificateException.class,
        () ->
            trust.checkServerTrusted(
                controller.chain().toArray(X509Certificate[]::new),
                "ECDHE_ECDSA",
                engineFor(AgentTls.CONTROLLER_NAME)));
  }

  private static javax.net.ssl.SSLEngine engineFor(String peerHost) throws Exception {
    return peerHost == null
        ? SSLContext.getDefault().createSSLEngine()
        : SSLContext.getDefault().createSSLEngine(peerHost, 8000);
  }

  @Test
  void aTrustBundleAcceptsTheNewCaAndTheOld() throws Exception {
    CertificateAuthority next =
        CertificateAuthority.create("agents-next", NOW, Duration.ofDays(3650));
    KeyMaterial newController =
        next.issue(CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)), NOW);
    List<X509Certificate> bundle = List.of(next.certificate(), ca.certificate());
    assertTrue(
        handshake(
            AgentTls.serverContext(pod0, bundle),
            AgentTls.clientContext(newController, bundle, "rc-0")));
  }

  @Test
  void pemRoundTripAndRenewalPoint() throws Exception {
    KeyMaterial back = KeyMaterial.fromPem(pod0.certificatePem(), pod0.keyPem());
    assertEquals(pod0.leaf(), back.leaf());
    assertEquals(pod0.key(), back.key());
    CertificateAuthority reread =
        CertificateAuthority.fromPem(ca.material().certificatePem(), ca.material().keyPem());
    assertEquals(ca.certificate(), reread.certificate());
    assertThrows(
        java.security.GeneralSecurityException.class,
        () -> CertificateAuthority.fromPem(pod0.certificatePem(), pod0.keyPem()));
    assertFalse(CertificateLifetime.due(pod0.leaf(), NOW.plus(Duration.ofDays(59))));
    assertTrue(CertificateLifetime.due(pod0.leaf(), NOW.plus(Duration.ofDays(60))));
  }

  private List<X509Certificate> trust() {
    return List.of(ca.certificate());
  }

  /** True when a TLS handshake and one byte each way succeed between the two contexts. */
  private static boolean handshake(SSLContext server, SSLContext client) throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (SSLServerSocket listener =
        (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
      listener.setNeedClientAuth(true);
      CompletableFuture<Boolean> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                  s.setSoTimeout(5000);
                  s.startHandshake();
                  s.getOutputStream().write(s.getInputStream().read());
                  return true;
                } catch (IOException e) {
                  return false;
                }
              });
      boolean clientOk;
      try (SSLSocket s =
          (SSLSocket) client.getSocketFactory().createSocket(loopback, listener.getLocalPort())) {
        s.setSoTimeout(5000);
        s.startHandshake();
        s.getOutputStream().write(7);
        clientOk = s.getInputStream().read() == 7;
      } catch (IOException e) {
        clientOk = false;
      }
      return clientOk && served.get(10, TimeUnit.SECONDS);
    }
  }
}
