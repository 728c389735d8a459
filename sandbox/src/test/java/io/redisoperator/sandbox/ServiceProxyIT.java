package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Services get a stable loopback address; new connections follow the ready endpoints as labels
 * change.
 */
class ServiceProxyIT extends SandboxIT {
  @Test
  void newConnectionsFollowLabelChangesAndUnreadyPodsGetNone() throws Exception {
    client
        .resource(
            new PodBuilder(TestPods.webPod("web-a", "web"))
                .editMetadata()
                .addToLabels("role", "primary")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            new PodBuilder(TestPods.webPod("web-b", "web"))
                .editMetadata()
                .addToLabels("role", "replica")
                .endMetadata()
                .build())
        .create();
    Service created =
        client
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName("web-leader")
                    .withNamespace("default")
                    .endMetadata()
                    .withNewSpec()
                    .addToSelector("app", "web")
                    .addToSelector("role", "primary")
                    .addNewPort()
                    .withName("http")
                    .withPort(80)
                    .withNewTargetPort("http")
                    .endPort()
                    .endSpec()
                    .build())
            .create();
    String clusterIp = created.getSpec().getClusterIP();
    assertTrue(
        clusterIp.startsWith("127.0.25"), "cluster IP allocated by the API server: " + clusterIp);
    TestPods.await(client, "web-a", TestPods::isReady);
    TestPods.await(client, "web-b", TestPods::isReady);
    InetSocketAddress address = new InetSocketAddress(clusterIp, 80);
    TestPods.eventually(
        Duration.ofSeconds(10), () -> "web-a".equals(tryGet(address)), "routing to web-a");

    Socket established = new Socket();
    established.connect(address, 1000);
    client
        .pods()
        .inNamespace("default")
        .withName("web-a")
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToLabels("role", "replica")
                    .endMetadata()
                    .build());
    client
        .pods()
        .inNamespace("default")
        .withName("web-b")
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToLabels("role", "primary")
                    .endMetadata()
                    .build());
    TestPods.eventually(
        Duration.ofSeconds(10), () -> "web-b".equals(tryGet(address)), "routing to web-b");
    assertEquals("web-a", get(established), "an established connection stays on its endpoint");

    Service updated =
        client
            .services()
            .inNamespace("default")
            .withName("web-leader")
            .edit(
                s ->
                    new ServiceBuilder(s)
                        .editSpec()
                        .withClusterIP(null)
                        .withClusterIPs()
                        .endSpec()
                        .build());
    assertEquals(clusterIp, updated.getSpec().getClusterIP(), "an update keeps the cluster IP");

    client
        .pods()
        .inNamespace("default")
        .withName("web-b")
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToLabels("role", "replica")
                    .endMetadata()
                    .build());
    TestPods.eventually(
        Duration.ofSeconds(10), () -> tryGet(address) == null, "no endpoints: refused");
    assertThrows(IOException.class, () -> get(connect(address)));
  }

  private static String tryGet(InetSocketAddress address) {
    try {
      return get(connect(address));
    } catch (IOException e) {
      return null;
    }
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.connect(address, 1000);
    return socket;
  }

  /** GET / over the given connection; the body is the name of the pod that served it. */
  private static String get(Socket socket) throws IOException {
    try (socket) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (response.isEmpty()) {
        throw new IOException("connection closed without a response");
      }
      return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
    }
  }
}
