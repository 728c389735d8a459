package io.redisoperator.bench.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
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

  @Test
  void anAgentOfAnotherPodFailsTheHandshake() throws Exception {
    SSLContext client = AgentTls.clientContext(controller, List.of(ca.certificate()), "c-0");
    assertThrows(
        SSLHandshakeException.class, () -> InMemoryHandshake.run(client, agent("c-1"), "c-0"));
  }
}
