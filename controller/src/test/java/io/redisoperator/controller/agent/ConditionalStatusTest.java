package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.redisoperator.controller.agent.AgentClient.VersionedStatus;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.StatusVolatiles;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller's conditional status poll ({@code If-None-Match}, protocol version 5) against an
 * agent that answers {@code 304} while its version is the one named, and against one that ignores
 * the header (before version 5).
 */
class ConditionalStatusTest {
  private static final String VERSION = "abc.3";

  private static HttpsServer agent;
  private static HttpAgentClient client;
  private static AgentEndpoint endpoint;
  private static final AtomicReference<String> ifNoneMatchSeen = new AtomicReference<>();
  private static volatile InstanceStatus current = replica(500L, 0L);
  private static volatile boolean understandsConditions = true;
  private static volatile String volatilesHeader;

  private static InstanceStatus replica(long offset, long lastIo) {
    return InstanceStatus.builder("c-1")
        .role(InstanceRole.REPLICA)
        .redisUp(true)
        .masterHost("10.0.0.1")
        .masterPort(6379)
        .masterLinkUp(true)
        .replicationOffset(offset)
        .masterLastIoSecondsAgo(lastIo)
        .agentUptimeSeconds(30)
        .build();
  }

  @BeforeAll
  static void start() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.create("agents", Instant.now(), Duration.ofDays(1));
    agent = MutualTlsAgentServer.create(ca, "c-1");
    agent.createContext(AgentApi.PATH_STATUS, ConditionalStatusTest::answer);
    agent.start();
    endpoint =
        new AgentEndpoint("c-1", "127.0.0.1", MutualTlsAgentServer.controllerCredentials(ca));
    client = new HttpAgentClient(agent.getAddress().getPort());
    // A cold JVM's first TLS handshake can take seconds on a loaded machine.
    client.status(endpoint, Duration.ofSeconds(30)).toCompletableFuture().get(40, TimeUnit.SECONDS);
  }

  private static void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String ifNoneMatch = exchange.getRequestHeaders().getFirst(AgentApi.IF_NONE_MATCH_HEADER);
    ifNoneMatchSeen.set(ifNoneMatch);
    exchange.getResponseHeaders().add(AgentApi.STATUS_VERSION_HEADER, VERSION);
    if (understandsConditions && AgentApi.matchesEntityTag(ifNoneMatch, VERSION)) {
      exchange
          .getResponseHeaders()
          .add(
              AgentApi.STATUS_VOLATILES_HEADER,
              volatilesHeader != null ? volatilesHeader : StatusVolatiles.of(current).header());
      exchange.sendResponseHeaders(304, -1);
      exchange.close();
      return;
    }
    MutualTlsAgentServer.answerJson(exchange, Json.mapper().writeValueAsBytes(current));
  }

  @AfterAll
  static void stop() {
    agent.stop(0);
    client.close();
  }

  private static VersionedStatus poll(VersionedStatus known) throws Exception {
    return client
        .urgentStatus(endpoint, Duration.ofSeconds(5), known)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void anUnchangedAnswerIsTheKnownStatusWithTheFieldsThatMoved() throws Exception {
    understandsConditions = true;
    volatilesHeader = null;
    current = replica(500L, 0L);
    VersionedStatus first = poll(null);
    assertNull(ifNoneMatchSeen.get(), "nothing known: nothing named");
    assertEquals(VERSION, first.version());

    current = replica(900L, 2L);
    VersionedStatus second = poll(first);

    assertEquals(AgentApi.entityTag(VERSION), ifNoneMatchSeen.get());
    assertEquals(current, second.status(), "as fresh as a full answer");
    assertEquals(VERSION, second.version());
  }

  @Test
  void anAgentThatIgnoresTheConditionAnswersInFull() throws Exception {
    understandsConditions = false;
    volatilesHeader = null;
    try {
      current = replica(700L, 0L);
      VersionedStatus known = new VersionedStatus(replica(1L, 9L), VERSION);
      assertEquals(current, poll(known).status());
    } finally {
      understandsConditions = true;
    }
  }

  @Test
  void aMalformedUnchangedAnswerIsABadAnswer() {
    understandsConditions = true;
    volatilesHeader = "replicationOffset=soon";
    try {
      VersionedStatus known = new VersionedStatus(replica(1L, 0L), VERSION);
      ExecutionException e = assertThrows(ExecutionException.class, () -> poll(known));
      assertEquals(PollFailure.HTTP_ERROR, AgentCallException.classify(e.getCause()));
    } finally {
      volatilesHeader = null;
    }
  }
}
