package io.redisoperator.controller.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The API client asks for compressed responses and reads them: a list answered gzip-encoded, as the
 * API server answers one above 128 KiB to a client that accepts it, arrives whole.
 */
class CompressedListsClientFactoryTest {
  @Test
  void aListAnsweredGzipEncodedIsAskedForAndReadWhole() throws Exception {
    String podList =
        Serialization.asJson(
            new PodListBuilder()
                .withNewMetadata()
                .withResourceVersion("7")
                .endMetadata()
                .withItems(
                    IntStream.range(0, 500)
                        .mapToObj(
                            i ->
                                new PodBuilder()
                                    .withNewMetadata()
                                    .withNamespace("ns")
                                    .withName("pod-" + i)
                                    .endMetadata()
                                    .build())
                        .toList())
                .build());
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
      out.write(podList.getBytes(StandardCharsets.UTF_8));
    }
    List<String> acceptEncodings = new CopyOnWriteArrayList<>();
    HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/api/v1/namespaces/ns/pods",
        exchange -> {
          String accepted = exchange.getRequestHeaders().getFirst("Accept-Encoding");
          acceptEncodings.add(String.valueOf(accepted));
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          byte[] body;
          if (accepted != null && accepted.contains("gzip")) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            body = gzipped.toByteArray();
          } else {
            body = podList.getBytes(StandardCharsets.UTF_8);
          }
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    api.start();
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + api.getAddress().getPort())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .withHttpClientFactory(new CompressedListsClientFactory())
            .build()) {
      var pods = client.pods().inNamespace("ns").list();

      assertEquals(1, acceptEncodings.size());
      assertTrue(acceptEncodings.get(0).contains("gzip"), acceptEncodings.toString());
      assertEquals(500, pods.getItems().size());
      assertEquals("pod-499", pods.getItems().get(499).getMetadata().getName());
    } finally {
      api.stop(0);
    }
  }
}
