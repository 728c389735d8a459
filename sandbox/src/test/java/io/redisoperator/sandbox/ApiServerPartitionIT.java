package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.fault.Link;
import io.redisoperator.sandbox.kubelet.Kubelet;
import io.redisoperator.sandbox.network.PortForwarder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each pod reaches the API server through its own endpoint on its pod IP, and cutting {@link
 * Link#API_SERVER} cuts exactly that pod off, new and established connections alike, until healed;
 * other pods keep their access.
 */
class ApiServerPartitionIT extends SandboxIT {
  /**
   * Polls its own pod object every 200 ms over a keep-alive HTTPS connection to its own API
   * endpoint (the cluster CA verifies the server; the name the certificate carries is the
   * in-cluster one, which python cannot map to the pod IP), with its service-account token,
   * reconnecting after a 1 s timeout.
   */
  private static final String API_CLIENT =
      String.join(
          "\n",
          "import http.client, os, ssl, time",
          "ctx = ssl.create_default_context(cafile=os.environ['KUBERNETES_CERTS_CA_FILE'])",
          "ctx.check_hostname = False",
          "token = open(os.environ['KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN']).read()",
          "path = '/api/v1/namespaces/default/pods/' + os.environ['POD_NAME']",
          "conn = None",
          "while True:",
          "    try:",
          "        if conn is None:",
          "            conn = http.client.HTTPSConnection(os.environ['POD_IP'], "
              + Kubelet.POD_API_SERVER_PORT
              + ", timeout=1, context=ctx)",
          "        conn.request('GET', path, headers={'Authorization': 'Bearer ' + token})",
          "        conn.getresponse().read()",
          "    except Exception:",
          "        if conn is not None:",
          "            conn.close()",
          "        conn = None",
          "    time.sleep(0.2)");

  private static Pod apiClientPod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(1L)
        .addNewContainer()
        .withName("main")
        .withImage("python")
        .withCommand("/usr/bin/python3", "-c", API_CLIENT)
        .addNewEnv()
        .withName("POD_NAME")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.name")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("POD_IP")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("status.podIP")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void cuttingTheApiServerLinkStopsThePodsTrafficAtItsOwnEndpointUntilHealed() throws Exception {
    FaultInjector faults = sandbox.faults();
    Optional<String> unavailable = faults.partitionUnavailableReason();
    if (unavailable.isPresent()) {
      System.out.println("ApiServerPartitionIT skipped: " + unavailable.get());
    }
    assumeTrue(unavailable.isEmpty(), () -> "partitions unavailable: " + unavailable.orElse(""));
    client.resource(apiClientPod("api-cut")).create();
    client.resource(apiClientPod("api-other")).create();
    String ip =
        TestPods.await(client, "api-cut", p -> "Running".equals(p.getStatus().getPhase()))
            .getStatus()
            .getPodIP();
    TestPods.await(client, "api-other", p -> "Running".equals(p.getStatus().getPhase()));
    awaitMoreTraffic("api-cut", traffic("api-cut"));
    awaitMoreTraffic("api-other", traffic("api-other"));

    try (Socket established = openedAndServed(ip)) {
      PortForwarder.Traffic before;
      PortForwarder.Traffic otherBefore;
      try (FaultInjector.Partition partition =
          faults.isolate("default", "api-cut", EnumSet.of(Link.API_SERVER))) {
        before = TestPods.settled(() -> traffic("api-cut"), "what was in flight when cut");
        otherBefore = traffic("api-other");
        send(established, ip);
        established.setSoTimeout(2500);
        assertThrows(
            SocketTimeoutException.class,
            () -> established.getInputStream().read(),
            "an established keep-alive connection to the endpoint gets no answer while cut");
        PortForwarder.Traffic cut = before;
        TestPods.holds(
            Duration.ofMillis(500),
            () -> traffic("api-cut").equals(cut),
            "nothing from the cut pod reaches the API server, no new connection either");
        System.out.println(
            "api-partition: cut before=" + before + " after3s=" + traffic("api-cut"));
        assertTrue(
            traffic("api-other").bytesFromClients() > otherBefore.bytesFromClients(),
            "the other pod keeps its access");
      }
      established.setSoTimeout(15_000);
      byte[] answer = new byte[12];
      int n = established.getInputStream().readNBytes(answer, 0, answer.length);
      assertEquals(
          "HTTP/1.1 200",
          new String(answer, 0, n, StandardCharsets.US_ASCII),
          "after healing, the stalled request on the same connection is answered");
      awaitMoreTraffic("api-cut", before);
      TestPods.eventually(
          Duration.ofSeconds(20),
          () -> traffic("api-cut").connections() > before.connections(),
          "the pod's client to connect anew after healing");
      System.out.println("api-partition: healed now=" + traffic("api-cut"));
    }
  }

  @Test
  void aPodsEndpointGoesWithItsProcesses() {
    client.resource(apiClientPod("api-gone")).create();
    String ip =
        TestPods.await(client, "api-gone", p -> "Running".equals(p.getStatus().getPhase()))
            .getStatus()
            .getPodIP();
    awaitMoreTraffic("api-gone", traffic("api-gone"));
    sandbox.faults().forceDeletePod("default", "api-gone");
    TestPods.eventually(
        Duration.ofSeconds(10), () -> !accepts(ip), "the endpoint of the deleted pod to close");
  }

  private static boolean accepts(String ip) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ip, Kubelet.POD_API_SERVER_PORT), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static PortForwarder.Traffic traffic(String pod) {
    return sandbox
        .kubelet()
        .apiServerTraffic("default", pod)
        .orElseThrow(() -> new AssertionError("pod " + pod + " has no API server endpoint"));
  }

  private static void awaitMoreTraffic(String pod, PortForwarder.Traffic than) {
    TestPods.eventually(
        Duration.ofSeconds(20),
        () ->
            traffic(pod).bytesFromClients() > than.bytesFromClients()
                && traffic(pod).bytesToClients() > than.bytesToClients(),
        "API traffic of pod " + pod);
  }

  /**
   * A keep-alive connection to the pod's endpoint that got one answer (the test JVM connects as the
   * pod's would).
   */
  private static Socket openedAndServed(String ip) throws Exception {
    javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket) TestPods.adminTls(sandbox).getSocketFactory().createSocket();
    socket.connect(new InetSocketAddress(ip, Kubelet.POD_API_SERVER_PORT), 2000);
    socket.startHandshake();
    send(socket, ip);
    socket.setSoTimeout(5000);
    InputStream in = socket.getInputStream();
    byte[] status = in.readNBytes(12);
    assertEquals("HTTP/1.1 200", new String(status, StandardCharsets.US_ASCII));
    drain(socket);
    return socket;
  }

  private static void send(Socket socket, String ip) throws IOException {
    String request =
        "GET /api/v1/namespaces/default/pods/api-cut HTTP/1.1\r\nHost: "
            + ip
            + "\r\n"
            + "Connection: keep-alive\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /**
   * Reads the rest of the first answer: whatever arrives until the connection is quiet for 500 ms.
   */
  private static void drain(Socket socket) throws IOException {
    socket.setSoTimeout(500);
    byte[] buffer = new byte[64 * 1024];
    try {
      while (socket.getInputStream().read(buffer) >= 0) {
        // discard
      }
    } catch (SocketTimeoutException e) {
      // quiet: the answer is complete
    }
  }
}
