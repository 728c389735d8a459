package io.redisoperator.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One sandbox (API server, kubelet, proxy, GC; no controller started) per test class, closed after
 * it.
 */
abstract class SandboxIT {
  static Sandbox sandbox;
  static KubernetesClient client;

  @BeforeAll
  static void startSandbox() {
    sandbox = TestPods.startSandbox();
    client = sandbox.client();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }
}
