package io.redisoperator.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.sandbox.Sandbox;
import io.redisoperator.sandbox.SandboxConfig;
import io.redisoperator.sandbox.controlplane.AuditLog;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.state.StateDir;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/** The sandbox with the real controller jar: real agents, real redis-server processes. */
final class SandboxEnvironment implements ClusterEnvironment {
  private final Sandbox sandbox;
  private final Path logs;

  private SandboxEnvironment(Sandbox sandbox, Path logs) {
    this.sandbox = sandbox;
    this.logs = logs;
  }

  static SandboxEnvironment start(String scenario) {
    Path logs = Path.of("target", "e2e-logs", scenario).toAbsolutePath();
    StateDir.deleteRecursively(logs);
    Sandbox sandbox =
        Sandbox.start(
            SandboxConfig.defaults()
                .withStateRoot(Path.of("target", "sandbox-state").toAbsolutePath())
                .withLogsDir(logs));
    try {
      sandbox.startController();
    } catch (RuntimeException e) {
      sandbox.close();
      throw e;
    }
    return new SandboxEnvironment(sandbox, logs);
  }

  /**
   * The sandbox with the operator installed from its chart by helm (no controller process): the
   * controller runs as the chart Deployment's pods, with the chart's ServiceAccount, RBAC, args and
   * env.
   */
  static SandboxEnvironment startFromChart(String scenario) {
    return startFromChart(scenario, Map.of());
  }

  /** As {@link #startFromChart(String)}, with further chart values ({@code helm --set}). */
  static SandboxEnvironment startFromChart(String scenario, Map<String, String> values) {
    Path logs = Path.of("target", "e2e-logs", scenario).toAbsolutePath();
    StateDir.deleteRecursively(logs);
    Sandbox sandbox =
        Sandbox.start(
            SandboxConfig.defaults()
                .withStateRoot(Path.of("target", "sandbox-state").toAbsolutePath())
                .withLogsDir(logs)
                .withoutControllerProcess());
    try {
      sandbox.installOperatorChart(values, java.time.Duration.ofMinutes(4));
    } catch (RuntimeException e) {
      sandbox.close();
      throw e;
    }
    return new SandboxEnvironment(sandbox, logs);
  }

  /**
   * The sandbox itself, for scenarios that need more of it than {@link ClusterEnvironment} offers.
   */
  Sandbox sandbox() {
    return sandbox;
  }

  @Override
  public KubernetesClient client() {
    return sandbox.client();
  }

  @Override
  public InetSocketAddress serviceAddress(String namespace, String service, int port) {
    return sandbox.serviceAddress(namespace, service, port);
  }

  @Override
  public InetSocketAddress podAddress(String podIp, int port) {
    return new InetSocketAddress(podIp, port);
  }

  @Override
  public FaultInjector faults() {
    return sandbox.faults();
  }

  @Override
  public java.util.List<String> refusedWorkloadRequests() {
    return sandbox
        .controlPlane()
        .map(
            plane ->
                new AuditLog(plane.auditLog())
                    .refusedWorkloadRequests().stream().map(AuditLog.Refusal::toString).toList())
        .orElse(java.util.List.of());
  }

  /** The control plane's kubectl (same release as the API server). */
  Path kubectl() {
    return sandbox.controlPlane().orElseThrow().kubectl();
  }

  /**
   * Writes the administrator's kubeconfig, as {@code make run} does for the user, and returns its
   * path.
   */
  Path writeKubeconfig(Path file) {
    return sandbox.controlPlane().orElseThrow().admin().write(file.toAbsolutePath());
  }

  @Override
  public java.util.List<String> refusedWorkloadRequestsOutside(
      java.time.Instant from, java.time.Instant until) {
    return sandbox
        .controlPlane()
        .map(
            plane ->
                new AuditLog(plane.auditLog())
                    .refusedWorkloadRequests(at -> at.isBefore(from) || at.isAfter(until)).stream()
                        .map(AuditLog.Refusal::toString)
                        .toList())
        .orElse(java.util.List.of());
  }

  @Override
  public String logsLocation() {
    return logs.toString();
  }

  @Override
  public void close() {
    sandbox.close();
  }
}
