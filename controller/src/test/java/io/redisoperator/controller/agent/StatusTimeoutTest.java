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
 * The HTTP client against an HTTPS agent: a status poll that gets no answer in time fails at its
 * timeout, and the next poll of the same agent goes out on another connection instead of queueing
 * behind the hung one; a late answer keeps its connection (no new TLS handshake for every late
 * answer); a connection is held to the pod it was opened for.
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
    // The failure names the call (built only then).
    assertTrue(
        timedOut
            .getCause()
            .getMessage()
            .startsWith(
                "https://127.0.0.1:"
                    + agent.getAddress().getPort()
                    + AgentApi.PATH_STATUS
                    + ": no answer within PT0.5S"),
        timedOut.getCause().getMessage());

    // The hung request still holds its exchange on the agent; the next poll must not wait for it.
    InstanceStatus next =
        client
            .status(endpoint, Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertEquals(InstanceRole.PRIMARY, next.role());
  }

  @Test
  void lateAnswersKeepTheirConnections() throws Exception {
    AtomicInteger lateFrom = new AtomicInteger(Integer.MAX_VALUE);
    java.util.Set<Integer> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicReference<CountDownLatch> answerGate =
        new java.util.concurrent.atomic.AtomicReference<>(new CountDownLatch(0));
    AtomicInteger requests = startAgent(lateFrom, connections, answerGate);
    AgentEndpoint endpoint =
        new AgentEndpoint("c-0", "127.0.0.1", MutualTlsAgentServer.controllerCredentials(ca));
    client = new HttpAgentClient(agent.getAddress().getPort());
    client
        .watchStatus(endpoint, null, Duration.ZERO, Duration.ofSeconds(30))
        .toCompletableFuture()
        .get(40, TimeUnit.SECONDS);
    lateFrom.set(requests.get() + 1);

    // Each poll is answered only after the client gave up on it (a saturated controller's late
    // answers): it still fails at its timeout, as before.
    for (int i = 0; i < 6; i++) {
      CountDownLatch gate = new CountDownLatch(1);
      answerGate.set(gate);
      ExecutionException late =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () ->
                  client
                      .watchStatus(endpoint, null, Duration.ZERO, Duration.ofMillis(300))
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS));
      assertEquals(PollFailure.TIMEOUT, ((AgentCallException) late.getCause()).kind());
      gate.countDown();
    }
    answerGate.set(new CountDownLatch(0));
    lateFrom.set(Integer.MAX_VALUE);
    client
        .watchStatus(endpoint, null, Duration.ZERO, Duration.ofSeconds(5))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    // Reset at the timeout, every late poll took a new connection (a TLS handshake): 7 or more.
    assertTrue(
        connections.size() <= ClusterHttpClients.CONNECTIONS_PER_POD,
        "connections opened: " + connections.size());
  }

  /** Starts c-0's agent; the request numbered {@code hangFrom} is never answered. */
  private AtomicInteger startAgent(AtomicInteger hangFrom) throws Exception {
    return startAgent(
        hangFrom,
        java.util.concurrent.ConcurrentHashMap.newKeySet(),
        new java.util.concurrent.atomic.AtomicReference<>(new CountDownLatch(0)),
        new AtomicInteger(Integer.MAX_VALUE));
  }

  /**
   * Starts c-0's agent recording the client port of every request in {@code connections}; from the
   * request numbered {@code lateFrom} on, each answers only once {@code answerGate} opens.
   */
  private AtomicInteger startAgent(
      AtomicInteger lateFrom,
      java.util.Set<Integer> connections,
      java.util.concurrent.atomic.AtomicReference<CountDownLatch> answerGate)
      throws Exception {
    return startAgent(new AtomicInteger(Integer.MAX_VALUE), connections, answerGate, lateFrom);
  }

  private AtomicInteger startAgent(
      AtomicInteger hangFrom,
      java.util.Set<Integer> connections,
      java.util.concurrent.atomic.AtomicReference<CountDownLatch> answerGate,
      AtomicInteger lateFrom)
      throws Exception {
    agent = MutualTlsAgentServer.create(ca, "c-0");
    AtomicInteger requests = new AtomicInteger();
    agent.createContext(
        AgentApi.PATH_STATUS,
        exchange -> {
          connections.add(exchange.getRemoteAddress().getPort());
          int number = requests.incrementAndGet();
          if (number >= lateFrom.get()) {
            try {
              answerGate.get().await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if (number == hangFrom.get()) {
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
