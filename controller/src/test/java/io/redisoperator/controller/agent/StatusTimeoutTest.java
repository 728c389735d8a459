package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP client against an HTTPS agent: a status poll that gets no answer is reset when it times
 * out, so the next poll of the same agent goes out on a new connection instead of queueing behind
 * the hung one; a connection is held to the pod it was opened for.
 */
class StatusTimeoutTest {
  private static final String STATUS =
      """
      {"podName":"c-0","role":"primary","redisUp":true,"redisVersion":"7.2.4","masterReplId":"r1",
       "replicationOffset":42,"connectedReplicas":[],"fenced":false,"selfFenced":false,"restartCount":0,
       "configHash":"h","secretVersions":{},"agentUptimeSeconds":5,"redisProcessRunning":true,
       "protocolVersion":%d,"leaseEpoch":7,"memory":{"usedBytes":1}}"""
          .formatted(AgentApi.PROTOCOL_VERSION);

  private HttpAgentClient client;
  private final CountDownLatch released = new CountDownLatch(1);
  private HttpsServer agent;

  @AfterEach
  void stop() {
    released.countDown();
    if (agent != null) {
      agent.stop(0);
    }
    if (client != null) {
      client.close();
    }
  }

  private final CertificateAuthority ca =
      CertificateAuthority.create("agents", Instant.now(), Duration.ofDays(1));

  @Test
  void anAgentWhoseCertificateNamesAnotherPodIsNotCalled() throws Exception {
    AtomicInteger requests = startAgent(new AtomicInteger(Integer.MAX_VALUE));
    client = new HttpAgentClient(agent.getAddress().getPort());
    AgentCredentials credentials = MutualTlsAgentServer.controllerCredentials(ca);
    // The agent at this address is c-0's; a call meant for c-1 must not reach it.
    ExecutionException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                client
                    .status(
                        new AgentEndpoint("c-1", "127.0.0.1", credentials), Duration.ofSeconds(30))
                    .toCompletableFuture()
                    .get(40, TimeUnit.SECONDS));
    assertTrue(refused.getCause() instanceof AgentCallException, refused.toString());
    assertEquals(0, requests.get());
    // The same address under its own pod's name is answered, with the same TLS options.
    InstanceStatus status =
        client
            .status(new AgentEndpoint("c-0", "127.0.0.1", credentials), Duration.ofSeconds(30))
            .toCompletableFuture()
            .get(40, TimeUnit.SECONDS);
    assertEquals(InstanceRole.PRIMARY, status.role());
    assertEquals(1, requests.get());
  }

  @Test
  void onlyARefusedConnectionCountsAsRefused() {
    assertEquals(
        PollFailure.CONNECTION_REFUSED,
        AgentExchange.transportFailure(
                "u", new java.net.ConnectException("Connection refused: /10.0.0.1:8000"))
            .kind());
    // A connect that timed out may be a partition, never proof that the agent is gone.
    assertEquals(
        PollFailure.TIMEOUT,
        AgentExchange.transportFailure(
                "u",
                new io.netty.channel.ConnectTimeoutException(
                    "connection timed out after 2000 ms: /10.0.0.1:8000"))
            .kind());
    assertEquals(
        PollFailure.TIMEOUT,
        AgentExchange.transportFailure("u", new java.net.ConnectException("Connection timed out"))
            .kind());
  }

  @Test
  void aPollAfterOneThatTimedOutIsAnswered() throws Exception {
    AtomicInteger hangFrom = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger requests = startAgent(hangFrom);
    AgentEndpoint endpoint =
        new AgentEndpoint("c-0", "127.0.0.1", MutualTlsAgentServer.controllerCredentials(ca));
    client = new HttpAgentClient(agent.getAddress().getPort());
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

  /** Starts c-0's agent; the request numbered {@code hangFrom} is never answered. */
  private AtomicInteger startAgent(AtomicInteger hangFrom) throws Exception {
    agent = MutualTlsAgentServer.create(ca, "c-0");
    AtomicInteger requests = new AtomicInteger();
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
          MutualTlsAgentServer.answerJson(exchange, STATUS);
        });
    agent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    agent.start();
    return requests;
  }
}
