package io.redisoperator.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.sandbox.fault.FaultInjector;
import java.net.InetSocketAddress;

/**
 * Where a scenario runs: a Kubernetes API, reachable Services and a fault injector. Scenarios use
 * nothing else, so the same scenario runs on the sandbox and on a real cluster.
 */
public interface ClusterEnvironment extends AutoCloseable {
  KubernetesClient client();

  /**
   * An address the test JVM can connect to that reaches the Service port (a cluster IP, a
   * port-forward, ...).
   */
  InetSocketAddress serviceAddress(String namespace, String service, int port);

  /**
   * An address the test JVM can connect to that reaches a pod's port directly (for per-instance
   * checks).
   */
  InetSocketAddress podAddress(String podIp, int port);

  FaultInjector faults();

  /**
   * The API requests of the operator and its agents that the API server refused (401/403), as far
   * as the environment can tell (the sandbox reads its audit log; elsewhere: none known). With the
   * chart's RBAC there must be none.
   */
  default java.util.List<String> refusedWorkloadRequests() {
    return java.util.List.of();
  }

  /**
   * {@link #refusedWorkloadRequests()} except those received between {@code from} and {@code
   * until}: an API server that is starting refuses requests until its authorizer has synced,
   * whoever sends them.
   */
  default java.util.List<String> refusedWorkloadRequestsOutside(
      java.time.Instant from, java.time.Instant until) {
    return refusedWorkloadRequests();
  }

  /** Where the environment keeps logs worth reading when a scenario fails. */
  String logsLocation();

  @Override
  void close();
}
