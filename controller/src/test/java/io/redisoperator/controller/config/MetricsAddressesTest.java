package io.redisoperator.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsAddressesTest {
  @Test
  void outsideAPodEveryAddress() {
    assertEquals(List.of("0.0.0.0"), MetricsAddresses.defaults(null));
    assertEquals(List.of("0.0.0.0"), MetricsAddresses.defaults(" "));
  }

  @Test
  void inAPodThePodIpAndLoopbackForPortForward() {
    assertEquals(List.of("10.1.2.3", "127.0.0.1"), MetricsAddresses.defaults("10.1.2.3"));
  }

  @Test
  void aLoopbackPodIpAlone() {
    assertEquals(List.of("127.0.100.7"), MetricsAddresses.defaults("127.0.100.7"));
  }
}
