package io.redisoperator.sandbox.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeletConfigTest {
  private static KubeletConfig withApiServer(String url) {
    return new KubeletConfig(
        "127.0.100.1",
        url,
        Path.of("x.jar"),
        "java",
        List.of(),
        Duration.ZERO,
        Duration.ZERO,
        Path.of("logs"));
  }

  @Test
  void podEndpointsForwardToTheApiServerUrlsHostAndPort() {
    assertEquals(
        new InetSocketAddress("127.0.0.1", 41234),
        withApiServer("http://127.0.0.1:41234").apiServerAddress());
  }

  @Test
  void aUrlWithoutPortIsRejectedWithTheUrl() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> withApiServer("http://127.0.0.1").apiServerAddress());
    assertEquals("API server URL without host and port: http://127.0.0.1", e.getMessage());
  }
}
