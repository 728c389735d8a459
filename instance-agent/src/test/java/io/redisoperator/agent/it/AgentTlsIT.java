package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent API's mutual TLS against a real agent: who may call it, and certificate rotation
 * without a restart.
 */
class AgentTlsIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  @Test
  void onlyTheControllersCertificateOpensTheApi() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.41").start();
    a.awaitUp();
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    assertThrows(
        IOException.class,
        () ->
            plain.send(
                HttpRequest.newBuilder(
                        URI.create("http://" + a.ip + ":" + AgentApi.PORT + AgentApi.PATH_PROMOTE))
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString()),
        "plain HTTP on the API port");

    CertificateAuthority otherCa =
        CertificateAuthority.create("rc agent CA", Instant.now(), Duration.ofDays(30));
    KeyMaterial foreignController =
        otherCa.issue(
            CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)), Instant.now());
    // What a compromised sibling data pod holds: its own agent certificate, from the same CA.
    KeyMaterial sibling =
        h.agentCa.issue(
            CertificateRequest.server(
                "rc-1", AgentTls.podNames("rc-1", AgentHarness.NAMESPACE), Duration.ofDays(90)),
            Instant.now());
    for (KeyMaterial impostor : List.of(foreignController, sibling)) {
      SSLContext client =
          AgentTls.clientContext(impostor, List.of(h.agentCa.certificate()), "rc-0");
      assertThrows(
          IOException.class,
          () -> a.callAs(client, "POST", AgentApi.PATH_FENCE, "{\"reason\":\"x\"}"),
          impostor.toString());
      assertThrows(
          IOException.class,
          () -> a.callAs(client, "POST", AgentApi.PATH_PROMOTE, "{}"),
          impostor.toString());
    }
    InstanceStatus after = a.status();
    assertEquals(InstanceRole.PRIMARY, after.role(), "no refused request changed anything");
    assertEquals(false, after.fenced());

    int probePortStatus =
        plain
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://" + a.ip + ":" + AgentApi.PROBE_PORT + AgentApi.PATH_STATUS))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode();
    assertEquals(404, probePortStatus, "the API is not served on the plain probe port");
    assertEquals(200, a.call("GET", AgentApi.PATH_HEALTHZ, null).status());
  }

  @Test
  void rotatesItsCertificateAndCaWithoutRestarting() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.42").start();
    a.awaitUp();
    long pid = a.redisPid();
    String before = a.status().secretVersions().get("agent-tls");

    // A new CA: first trusted next to the old one, with the pod's certificate from the new CA.
    CertificateAuthority next =
        CertificateAuthority.create("rc agent CA 2", Instant.now(), Duration.ofDays(3650));
    KeyMaterial nextController =
        next.issue(
            CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofDays(1)), Instant.now());
    a.projectAgentTls(next, next.certificate(), h.agentCa.certificate());
    SSLContext newClient =
        AgentTls.clientContext(nextController, List.of(next.certificate()), "rc-0");
    AgentHarness.await(
        "new certificate served", Duration.ofSeconds(10), () -> answers(a, newClient));
    SSLContext oldClient =
        AgentTls.clientContext(h.controller, List.of(next.certificate()), "rc-0");
    assertEquals(
        200,
        a.callAs(oldClient, "GET", AgentApi.PATH_STATUS, null).status(),
        "the old controller certificate still works");
    assertThrows(
        IOException.class,
        () ->
            a.callAs(
                AgentTls.clientContext(h.controller, List.of(h.agentCa.certificate()), "rc-0"),
                "GET",
                AgentApi.PATH_STATUS,
                null),
        "the agent no longer serves the old CA's certificate");

    // Then the old CA is dropped: its controller certificate stops working.
    a.projectAgentTls(next, next.certificate());
    AgentHarness.await("old CA dropped", Duration.ofSeconds(10), () -> !answers(a, oldClient));
    assertEquals(200, a.callAs(newClient, "GET", AgentApi.PATH_STATUS, null).status());
    InstanceStatus status =
        a.callAs(newClient, "GET", AgentApi.PATH_STATUS, null).as(InstanceStatus.class);
    assertNotEquals(
        before,
        status.secretVersions().get("agent-tls"),
        "status reports the applied certificate version");
    assertEquals(pid, a.redisPid(), "no restart");
  }

  private static boolean answers(AgentHarness.Node node, SSLContext client) {
    try {
      return node.callAs(client, "GET", AgentApi.PATH_STATUS, null).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}
