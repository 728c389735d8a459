package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A status poll that gets no answer is cancelled when it times out: the next poll of the same agent
 * goes out on a new connection instead of queueing behind the hung one on the poll pool's single
 * connection.
 */
class StatusTimeoutTest {
  private static final String STATUS =
      """
      {"podName":"c-0","role":"primary","redisUp":true,"redisVersion":"7.2.4","masterReplId":"r1",
       "replicationOffset":42,"connectedReplicas":[],"fenced":false,"selfFenced":false,"restartCount":0,
       "configHash":"h","secretVersions":{},"agentUptimeSeconds":5,"redisProcessRunning":true,
       "protocolVersion":%d,"leaseEpoch":7,"memory":{"usedBytes":1}}"""
          .formatted(AgentApi.PROTOCOL_VERSION);

  private final ActorTestKit testKit = ActorTestKit.create();
  private final CountDownLatch released = new CountDownLatch(1);
  private HttpsServer agent;

  @AfterEach
  void stop() {
    released.countDown();
    if (agent != null) {
      agent.stop(0);
    }
    testKit.shutdownTestKit();
  }

  @Test
  void aPollAfterOneThatTimedOutIsAnswered() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.create("agents", Instant.now(), Duration.ofDays(1));
    SSLContext server =
        AgentTls.serverContext(
            ca.issue(
                CertificateRequest.server(
                    "c-0", AgentTls.podNames("c-0", "ns"), Duration.ofDays(1)),
                Instant.now()),
            List.of(ca.certificate()));
    agent = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    agent.setHttpsConfigurator(
        new HttpsConfigurator(server) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = server.getDefaultSSLParameters();
            p.setNeedClientAuth(true);
            params.setSSLParameters(p);
          }
        });
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger hangFrom = new AtomicInteger(Integer.MAX_VALUE);
    agent.createContext(
        AgentApi.PATH_STATUS,
        exchange -> {
          if (requests.incrementAndGet() == hangFrom.get()) {
            try {
              released.await(); // never answered while the test runs
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
          }
          exchange.getRequestBody().readAllBytes();
          byte[] bytes = STATUS.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    agent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    agent.start();
    AgentEndpoint endpoint =
        new AgentEndpoint(
            "c-0",
            "127.0.0.1",
            new AgentCredentials(
                ca.issue(
                    CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)),
                    Instant.now()),
                List.of(ca.certificate())));
    HttpAgentClient client = new HttpAgentClient(testKit.system(), agent.getAddress().getPort());
    // The connection is up (a cold JVM's first TLS handshake can take seconds on a loaded machine).
    client.status(endpoint, Duration.ofSeconds(30)).toCompletableFuture().get(40, TimeUnit.SECONDS);
    hangFrom.set(requests.get() + 1);

    ExecutionException timedOut =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                client
                    .status(endpoint, Duration.ofMillis(500))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
    assertTrue(timedOut.getCause() instanceof AgentCallException, timedOut.toString());
    assertEquals(PollFailure.TIMEOUT, ((AgentCallException) timedOut.getCause()).kind());

    // The hung request still holds its exchange on the agent; the next poll must not wait for it.
    InstanceStatus next =
        client
            .status(endpoint, Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertEquals(InstanceRole.PRIMARY, next.role());
  }
}
