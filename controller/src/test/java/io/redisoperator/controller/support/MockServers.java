package io.redisoperator.controller.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * Starts and stops the fabric8 mock API server for the controller's in-process tests: the CRUD mock
 * with optimistic locking, whose watches close without stalling it ({@link
 * OptimisticLockingDispatcher}).
 */
public final class MockServers {
  private MockServers() {}

  /** A started CRUD mock with the API server's optimistic locking on status updates. */
  public static KubernetesMockServer start() {
    return OptimisticLockingDispatcher.startServer();
  }

  /** Closes the client (its informers' watches with it), then the server. */
  public static void stop(KubernetesMockServer server, KubernetesClient client) {
    client.close();
    server.destroy();
  }
}
