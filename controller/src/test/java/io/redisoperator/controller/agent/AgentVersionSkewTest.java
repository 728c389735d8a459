package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller against an agent one protocol version ahead: answers with fields and enum values
 * this version does not know are read, not rejected (a controller rolled back must not go blind).
 */
class AgentVersionSkewTest {
  private static final int NEXT = AgentApi.PROTOCOL_VERSION + 1;
  private static final String STATUS_FROM_THE_FUTURE =
      """
      {"podName":"c-0","role":"primary","redisUp":true,"redisVersion":"8.0.0","masterReplId":"r1",
       "replicationOffset":42,"connectedReplicas":[{"ip":"10.0.0.2","port":6379,"offset":42,"lagSeconds":0,
       "tlsOnly":true}],"fenced":false,"selfFenced":false,"restartCount":0,"configHash":"h","secretVersions":{},
       "agentUptimeSeconds":5,"redisProcessRunning":true,"protocolVersion":%d,"leaseEpoch":7,
       "memory":{"usedBytes":1}}"""
          .formatted(NEXT);

  private static HttpsServer agent;
  private static volatile String epochSeen;
  private static HttpAgentClient client;
  private static AgentEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    // The agent as it serves: HTTPS with its pod's certificate, the controller's client certificate
    // required.
    CertificateAuthority ca =
        CertificateAuthority.create("agents", Instant.now(), Duration.ofDays(1));
    agent = MutualTlsAgentServer.create(ca, "c-0");
    endpoint =
        new AgentEndpoint("c-0", "127.0.0.1", MutualTlsAgentServer.controllerCredentials(ca));
    agent.createContext(
        AgentApi.PATH_STATUS,
        exchange -> {
          epochSeen = exchange.getRequestHeaders().getFirst(AgentApi.LEADER_EPOCH_HEADER);
          MutualTlsAgentServer.answerJson(exchange, STATUS_FROM_THE_FUTURE);
        });
    // One thread per exchange: two clients' pools may hold a connection each.
    agent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    agent.createContext(
        AgentApi.PATH_PROMOTE,
        exchange ->
            MutualTlsAgentServer.answerJson(
                exchange,
                "{\"message\":\"promoted\",\"durationMicros\":12,\"status\":"
                    + STATUS_FROM_THE_FUTURE.replace("\"primary\"", "\"arbiter\"")
                    + "}"));
    agent.start();
    client = new HttpAgentClient(agent.getAddress().getPort());
    // A cold JVM's first TLS handshake can take seconds on a loaded machine: not what these tests
    // measure.
    client.status(endpoint, Duration.ofSeconds(30)).toCompletableFuture().get(40, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    agent.stop(0);
    client.close();
  }

  @Test
  void aStatusWithUnknownFieldsIsRead() throws Exception {
    InstanceStatus status =
        client
            .status(endpoint, Duration.ofSeconds(5))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertEquals(InstanceRole.PRIMARY, status.role());
    assertEquals(42L, status.replicationOffset());
    assertEquals(NEXT, status.protocolVersion());
    assertTrue(status.redisProcessRunning());
  }

  @Test
  void everyRequestCarriesTheLeaseEpochWhenThereIsOne() throws Exception {
    try (HttpAgentClient withEpoch = new HttpAgentClient(agent.getAddress().getPort(), () -> 7)) {
      withEpoch
          .status(endpoint, Duration.ofSeconds(5))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }
    assertEquals("7", epochSeen);
    client.status(endpoint, Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(null, epochSeen, "without leader election: no epoch");
  }

  @Test
  void anOperationResultWithAnUnknownRoleReadsAsUnknown() throws Exception {
    OperationResult result =
        client
            .promote(endpoint, new PromoteRequest("r1", 0L, 1000L))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertEquals(InstanceRole.UNKNOWN, result.status().role());
  }
}
