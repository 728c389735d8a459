package io.redisoperator.sandbox.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.StatusVolatiles;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet's agent endpoints over real sockets and mutual TLS, from a client holding the
 * controller's certificate (or not).
 */
class AgentServerTest {
  private static final String POD = "c-0";
  private static final Duration VALIDITY = Duration.ofHours(1);

  private final CertificateAuthority ca =
      CertificateAuthority.create("agent-ca", Instant.now(), VALIDITY);
  private final FleetMembers members = new FleetMembers();
  private final FleetCounters counters = new FleetCounters(System::currentTimeMillis);
  private final AgentServer server = new AgentServer(System::currentTimeMillis, counters, 1);
  private SimulatedInstance instance;
  private AgentServer.Listener listener;
  private SSLContext tls;

  /** An HTTP answer: status, headers (lower-case names), body. */
  private record Reply(int status, Map<String, String> headers, String body) {}

  @BeforeEach
  void serve() throws Exception {
    instance =
        new SimulatedInstance(
            POD, "127.0.0.1", true, null, System::currentTimeMillis, members.peers("ns", "c"));
    members.add("ns", "c", instance);
    KeyMaterial own =
        ca.issue(
            CertificateRequest.server(POD, AgentTls.podNames(POD, "ns"), VALIDITY), Instant.now());
    tls =
        AgentServer.serverContext(
            own.certificatePem(), own.keyPem(), Pem.encode(List.of(ca.certificate())));
    listener = server.bind(instance, tls, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void answersTheStatusWithItsVersionToTheController() throws Exception {
    try (SSLSocket socket = controllerSocket()) {
      Reply reply = request(socket, "GET", AgentApi.PATH_STATUS, null);
      assertEquals(200, reply.status());
      assertNotNull(reply.headers().get(AgentApi.STATUS_VERSION_HEADER.toLowerCase(Locale.ROOT)));
      InstanceStatus status = Json.mapper().readValue(reply.body(), InstanceStatus.class);
      assertEquals(POD, status.podName());
      // The same keep-alive connection serves the next request.
      assertEquals(200, request(socket, "GET", AgentApi.PATH_STATUS, null).status());
    }
    assertEquals(2, counters.statusRequests());
  }

  @Test
  void refusesAClientWithoutTheControllersCertificate() throws Exception {
    SSLContext anonymous = SSLContext.getInstance("TLS");
    anonymous.init(null, new TrustManager[] {AgentTls.podTrust(List.of(ca.certificate()))}, null);
    try (SSLSocket socket = socket(anonymous)) {
      assertThrows(IOException.class, () -> request(socket, "GET", AgentApi.PATH_STATUS, null));
    }
    KeyMaterial sibling =
        ca.issue(
            CertificateRequest.server("c-1", AgentTls.podNames("c-1", "ns"), VALIDITY),
            Instant.now());
    try (SSLSocket socket =
        socket(AgentTls.clientContext(sibling, List.of(ca.certificate()), POD))) {
      assertThrows(IOException.class, () -> request(socket, "GET", AgentApi.PATH_STATUS, null));
    }
    assertEquals(0, counters.statusRequests());
  }

  @Test
  void answersAStatusTheControllerHasWith304AndItsMovingFields() throws Exception {
    try (SSLSocket socket = controllerSocket()) {
      Reply full = request(socket, "GET", AgentApi.PATH_STATUS, null);
      String version = full.headers().get(AgentApi.STATUS_VERSION_HEADER.toLowerCase(Locale.ROOT));
      String known = AgentApi.IF_NONE_MATCH_HEADER + ": " + AgentApi.entityTag(version);

      Reply unchanged = request(socket, "GET", AgentApi.PATH_STATUS, null, known);
      assertEquals(304, unchanged.status());
      assertEquals("", unchanged.body());
      assertEquals(
          version,
          unchanged.headers().get(AgentApi.STATUS_VERSION_HEADER.toLowerCase(Locale.ROOT)));
      InstanceStatus status = Json.mapper().readValue(full.body(), InstanceStatus.class);
      assertEquals(
          status.replicationOffset(),
          StatusVolatiles.parse(
                  unchanged
                      .headers()
                      .get(AgentApi.STATUS_VOLATILES_HEADER.toLowerCase(Locale.ROOT)))
              .replicationOffset());

      instance.fence();
      instance.announceChange();
      Reply changed = request(socket, "GET", AgentApi.PATH_STATUS, null, known);
      assertEquals(200, changed.status(), "a changed status is answered in full");
      assertTrue(Json.mapper().readValue(changed.body(), InstanceStatus.class).fenced());
    }
  }

  @Test
  void holdsAnUnchangedStatusUntilItChanges() throws Exception {
    String version;
    try (SSLSocket socket = controllerSocket()) {
      version =
          request(socket, "GET", AgentApi.PATH_STATUS, null)
              .headers()
              .get(AgentApi.STATUS_VERSION_HEADER.toLowerCase(Locale.ROOT));
    }
    try (SSLSocket socket = controllerSocket()) {
      CompletableFuture<Reply> held =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return request(
                      socket,
                      "GET",
                      AgentApi.PATH_STATUS
                          + "?"
                          + AgentApi.STATUS_SINCE_PARAM
                          + "="
                          + version
                          + "&"
                          + AgentApi.STATUS_WAIT_PARAM
                          + "=14000",
                      null);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> counters.statusRequests() == 2);
      instance.fence();
      instance.announceChange();
      Reply changed = held.get(5, TimeUnit.SECONDS);
      assertEquals(200, changed.status());
      assertNotEquals(
          version, changed.headers().get(AgentApi.STATUS_VERSION_HEADER.toLowerCase(Locale.ROOT)));
      assertTrue(Json.mapper().readValue(changed.body(), InstanceStatus.class).fenced());
    }
  }

  @Test
  void answersBadInputWith400() throws Exception {
    try (SSLSocket socket = controllerSocket()) {
      assertEquals(
          400,
          request(
                  socket,
                  "GET",
                  AgentApi.PATH_STATUS + "?" + AgentApi.STATUS_WAIT_PARAM + "=soon",
                  null)
              .status());
      assertEquals(400, request(socket, "POST", AgentApi.PATH_PROMOTE, "{not json").status());
      Reply missing = request(socket, "POST", AgentApi.PATH_PROMOTE, "{}");
      assertEquals(400, missing.status());
      assertTrue(missing.body().contains("bad_request"), missing.body());
      assertEquals(
          400, request(socket, "POST", AgentApi.PATH_REPLICATE, "{\"host\":\"\"}").status());
      assertEquals(501, request(socket, "POST", "/v1/switchover", "{}").status());
    }
  }

  @Test
  void aClosedListenerDropsItsConnectionsAndRefusesNewOnes() throws Exception {
    int port = listener.port();
    try (SSLSocket socket = controllerSocket()) {
      assertEquals(200, request(socket, "GET", AgentApi.PATH_STATUS, null).status());
      listener.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThrows(IOException.class, () -> request(socket, "GET", AgentApi.PATH_STATUS, null));
    }
    assertThrows(ConnectException.class, () -> connectFromAnotherAddress(port));
  }

  @Test
  void aClosedListenersAddressIsFreeOnceItsCloseCompletes() throws Exception {
    // The JDK keeps a selector-registered listening socket open until its selector next runs, so a
    // close that completed on the channel alone left the port accepting and a new bind failing.
    for (int round = 0; round < 200; round++) {
      AgentServer.Listener next =
          server.bind(instance, tls, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
      int port = next.port();
      next.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThrows(ConnectException.class, () -> connectFromAnotherAddress(port));
      server
          .bind(instance, tls, port)
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS)
          .close()
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * From another loopback address: a connect from 127.0.0.1 to a free port of the ephemeral range
   * can pick that very port as its source and connect to itself (TCP simultaneous open).
   */
  private static void connectFromAnotherAddress(int port) throws IOException {
    new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName("127.0.0.2"), 0)
        .close();
  }

  private SSLSocket controllerSocket() throws Exception {
    KeyMaterial controller =
        ca.issue(CertificateRequest.client(AgentTls.CONTROLLER_NAME, VALIDITY), Instant.now());
    return socket(AgentTls.clientContext(controller, List.of(ca.certificate()), POD));
  }

  private SSLSocket socket(SSLContext context) throws IOException {
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", listener.port());
    socket.setSoTimeout(20_000);
    return socket;
  }

  /** One HTTP/1.1 request on a kept-alive connection, its answer read by its Content-Length. */
  private static Reply request(SSLSocket socket, String method, String target, String body)
      throws IOException {
    return request(socket, method, target, body, null);
  }

  /**
   * @param extraHeader one more request header line ({@code Name: value}), null for none
   */
  private static Reply request(
      SSLSocket socket, String method, String target, String body, String extraHeader)
      throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(
        (method
                + " "
                + target
                + " HTTP/1.1\r\nHost: "
                + POD
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + content.length
                + (extraHeader == null ? "" : "\r\n" + extraHeader)
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(content);
    out.flush();
    InputStream in = socket.getInputStream();
    String statusLine = line(in);
    if (statusLine.isEmpty()) {
      throw new IOException("connection closed without an answer");
    }
    Map<String, String> headers = new HashMap<>();
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim());
    }
    byte[] answer = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Reply(
        Integer.parseInt(statusLine.split(" ")[1]),
        headers,
        new String(answer, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
