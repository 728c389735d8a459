package io.redisoperator.controller.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An agent's HTTPS port as it serves, for the client's tests: the pod's certificate issued by
 * {@code ca}, a client certificate from the same CA required. Not started: the test adds its
 * contexts, then starts it. The controller's credentials for it and a JSON answer are here too, so
 * every test's agent answers alike.
 */
final class MutualTlsAgentServer {
  private MutualTlsAgentServer() {}

  static HttpsServer create(CertificateAuthority ca, String pod)
      throws IOException, GeneralSecurityException {
    SSLContext server =
        AgentTls.serverContext(
            ca.issue(
                CertificateRequest.server(pod, AgentTls.podNames(pod, "ns"), Duration.ofDays(1)),
                Instant.now()),
            List.of(ca.certificate()));
    HttpsServer agent = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.setHttpsConfigurator(
        new HttpsConfigurator(server) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = server.getDefaultSSLParameters();
            p.setNeedClientAuth(true);
            params.setSSLParameters(p);
          }
        });
    return agent;
  }

  /** The controller's client certificate from {@code ca}, trusting {@code ca}'s agents. */
  static AgentCredentials controllerCredentials(CertificateAuthority ca) {
    return new AgentCredentials(
        ca.issue(
            CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)), Instant.now()),
        List.of(ca.certificate()));
  }

  /** Answers {@code 200} with {@code body} as JSON, after reading the request's body. */
  static void answerJson(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  static void answerJson(HttpExchange exchange, String body) throws IOException {
    answerJson(exchange, body.getBytes(StandardCharsets.UTF_8));
  }
}
