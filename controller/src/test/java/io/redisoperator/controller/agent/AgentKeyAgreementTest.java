package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The agent calls' TLS offers X25519 alone ({@link AgentSslEngineOptions}), through the client's
 * copies of its options: an agent without X25519 completes no handshake, an agent as it is does.
 * (That such an agent completes one with the JDK's default groups: {@code X25519OnlyTest}.)
 */
class AgentKeyAgreementTest {
  private static final String STATUS =
      """
      {"podName":"c-0","role":"primary","redisUp":true,"redisVersion":"8.0.0","masterReplId":"r1",
       "replicationOffset":42,"connectedReplicas":[],"fenced":false,"selfFenced":false,
       "restartCount":0,"configHash":"h","secretVersions":{},"agentUptimeSeconds":5,
       "redisProcessRunning":true,"protocolVersion":%d,"leaseEpoch":7,"memory":{"usedBytes":1}}"""
          .formatted(AgentApi.PROTOCOL_VERSION);

  @Test
  void theCallsOfferX25519AndNoOtherGroup() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.create("agents", Instant.now(), Duration.ofDays(1));
    HttpsServer agent = MutualTlsAgentServer.create(ca, "c-0");
    HttpsServer withoutX25519 =
        MutualTlsAgentServer.create(ca, "c-0", AgentKeyAgreementTest::withoutX25519);
    for (HttpsServer server : new HttpsServer[] {agent, withoutX25519}) {
      server.createContext(
          AgentApi.PATH_STATUS, exchange -> MutualTlsAgentServer.answerJson(exchange, STATUS));
      server.start();
    }
    AgentCredentials credentials = MutualTlsAgentServer.controllerCredentials(ca);
    try (HttpAgentClient toAgent = new HttpAgentClient(agent.getAddress().getPort());
        HttpAgentClient toOther = new HttpAgentClient(withoutX25519.getAddress().getPort())) {
      AgentEndpoint endpoint = new AgentEndpoint("c-0", "127.0.0.1", credentials);
      // A cold JVM's first handshake can take longer than the connect timeout on a loaded
      // machine: asked again until it answers.
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  toAgent
                      .status(endpoint, Duration.ofSeconds(30))
                      .toCompletableFuture()
                      .get(40, TimeUnit.SECONDS)
                      .podName(),
              "c-0"::equals);
      ExecutionException refused =
          assertThrows(
              ExecutionException.class,
              () ->
                  toOther
                      .status(endpoint, Duration.ofSeconds(30))
                      .toCompletableFuture()
                      .get(40, TimeUnit.SECONDS));
      assertTrue(
          String.valueOf(refused.getCause().getMessage()).contains("SSL"),
          refused.getCause().toString());
    } finally {
      agent.stop(0);
      withoutX25519.stop(0);
    }
  }

  /** A server as a FIPS build would be: every group but X25519. */
  private static SSLParameters withoutX25519(SSLParameters parameters) {
    parameters.setAlgorithmConstraints(
        new AlgorithmConstraints() {
          @Override
          public boolean permits(
              Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters p) {
            return algorithm == null
                || !(algorithm.equalsIgnoreCase("x25519") || algorithm.equalsIgnoreCase("XDH"));
          }

          @Override
          public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
            return true;
          }

          @Override
          public boolean permits(
              Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters p) {
            return permits(primitives, algorithm, p);
          }
        });
    return parameters;
  }
}
