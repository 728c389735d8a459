package io.redisoperator.sandbox.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redisoperator.sandbox.SandboxConfig;
import org.junit.jupiter.api.Test;

class SandboxNetworkTest {
  @Test
  void theDefaultsAreTheTestsRanges() {
    SandboxNetwork network = SandboxConfig.defaults().network();
    assertEquals("127.0.100.1", network.nodeIp());
    assertEquals("127.0.100.2-127.0.199.254", network.podRange());
  }

  @Test
  void theNodeMustStayOutsideThePodRange() {
    // A partition cuts a pod from the pod range; the node (probes, service proxy) must keep
    // reaching it.
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SandboxNetwork(
                "127.0.60.5", "127.0.60.2", "127.0.67.254", "127.0.68.1", "127.0.69.254"));
  }

  @Test
  void podAndServiceRangesMustNotOverlap() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SandboxNetwork(
                "127.0.60.1", "127.0.60.2", "127.0.68.254", "127.0.68.1", "127.0.69.254"));
  }

  @Test
  void rangesMustBeLoopback() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SandboxNetwork(
                "10.0.0.1", "127.0.60.2", "127.0.67.254", "127.0.68.1", "127.0.69.254"));
  }
}
