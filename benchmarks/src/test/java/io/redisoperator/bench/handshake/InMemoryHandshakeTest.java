package io.redisoperator.bench.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.StoredCertificates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;

class InMemoryHandshakeTest {
  private final Instant now = Instant.now();
  private final Duration day = Duration.ofDays(1);
  private final CertificateAuthority ca = CertificateAuthority.create("agent-ca", now, day);
  private final KeyMaterial controller =
      ca.issue(CertificateRequest.client(AgentTls.CONTROLLER_NAME, day), now);

  private SSLContext agent(String pod) throws Exception {
    return AgentTls.serverContext(
        ca.issue(CertificateRequest.server(pod, List.of(pod), day), now),
        List.of(ca.certificate()));
  }

  @Test
  void theControllerAndAnAgentCompleteAFullTls13HandshakeEachTime() throws Exception {
    SSLContext client = AgentTls.clientContext(controller, List.of(ca.certificate()), "c-0");
    SSLContext server = agent("c-0");
    for (int i = 0; i < 2; i++) {
      InMemoryHandshake.Result result = InMemoryHandshake.run(client, server, "c-0");
      assertEquals("TLSv1.3", result.protocol());
      assertTrue(result.clientCpuNanos() > 0 && result.serverCpuNanos() > 0, result.toString());
    }
  }

  /** The controller's context for a cluster, trusting {@code stored} as the controller does. */
  private SSLContext controllerTrusting(StoredCertificates stored) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        new KeyManager[] {AgentTls.keyManager(controller)},
        new TrustManager[] {AgentTls.podTrust(List.of(ca.certificate()), stored)},
        null);
    return context;
  }

  @Test
  void theStoredCertificateOfThePodCompletesTheHandshakeAndAnotherPodsDoesNot() throws Exception {
    KeyMaterial pod0 = ca.issue(CertificateRequest.server("c-0", List.of("c-0"), day), now);
    SSLContext agent0 = AgentTls.serverContext(pod0, List.of(ca.certificate()));
    // A store that vouches for c-0's certificate whatever pod is asked for.
    SSLContext client = controllerTrusting((c, pod, leaf) -> leaf.equals(pod0.leaf()));
    assertEquals("TLSv1.3", InMemoryHandshake.run(client, agent0, "c-0").protocol());
    assertThrows(SSLHandshakeException.class, () -> InMemoryHandshake.run(client, agent0, "c-1"));
  }

  @Test
  void anAgentOfAnotherPodFailsTheHandshake() throws Exception {
    SSLContext client = AgentTls.clientContext(controller, List.of(ca.certificate()), "c-0");
    assertThrows(
        SSLHandshakeException.class, () -> InMemoryHandshake.run(client, agent("c-1"), "c-0"));
  }
}
