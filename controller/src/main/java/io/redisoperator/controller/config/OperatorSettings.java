package io.redisoperator.controller.config;

import io.redisoperator.protocol.agent.AgentApi;
import java.time.Duration;
import java.util.List;

/**
 * How the controller-manager runs. {@code namespaces} empty means all namespaces; {@code
 * metricsHosts} are the addresses /metrics, /healthz and /readyz are served on (one port for all);
 * {@code metricsPort} 0 means an ephemeral port; {@code agentPort} differs from {@link
 * AgentApi#PORT} only in tests.
 */
public record OperatorSettings(
    List<String> namespaces,
    List<String> metricsHosts,
    int metricsPort,
    boolean leaderElect,
    String leaseNamespace,
    String leaseName,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    int agentPort,
    Duration resyncInterval,
    Duration agentOpCooldown,
    int apiThreads,
    String operatorImage) {

  public static final String DEFAULT_LEASE_NAME = "redis-operator-leader";

  public OperatorSettings {
    namespaces = List.copyOf(namespaces);
    metricsHosts = List.copyOf(metricsHosts);
    if (metricsHosts.isEmpty()) {
      throw new IllegalArgumentException("no address to serve the metrics on");
    }
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        List.of(),
        List.of("0.0.0.0"),
        8080,
        false,
        "default",
        DEFAULT_LEASE_NAME,
        defaultIdentity(),
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        AgentApi.PORT,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        8,
        defaultOperatorImage());
  }

  public OperatorSettings withNamespaces(List<String> value) {
    return new OperatorSettings(
        value,
        metricsHosts,
        metricsPort,
        leaderElect,
        leaseNamespace,
        leaseName,
        identity,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        agentPort,
        resyncInterval,
        agentOpCooldown,
        apiThreads,
        operatorImage);
  }

  public OperatorSettings withMetrics(List<String> hosts, int port) {
    return new OperatorSettings(
        namespaces,
        hosts,
        port,
        leaderElect,
        leaseNamespace,
        leaseName,
        identity,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        agentPort,
        resyncInterval,
        agentOpCooldown,
        apiThreads,
        operatorImage);
  }

  public OperatorSettings withLeaderElection(
      boolean enabled, String namespace, String name, String id) {
    return new OperatorSettings(
        namespaces,
        metricsHosts,
        metricsPort,
        enabled,
        namespace,
        name,
        id,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        agentPort,
        resyncInterval,
        agentOpCooldown,
        apiThreads,
        operatorImage);
  }

  public OperatorSettings withLeaseTiming(Duration duration, Duration renew, Duration retry) {
    return new OperatorSettings(
        namespaces,
        metricsHosts,
        metricsPort,
        leaderElect,
        leaseNamespace,
        leaseName,
        identity,
        duration,
        renew,
        retry,
        agentPort,
        resyncInterval,
        agentOpCooldown,
        apiThreads,
        operatorImage);
  }

  public OperatorSettings withAgentPort(int port) {
    return new OperatorSettings(
        namespaces,
        metricsHosts,
        metricsPort,
        leaderElect,
        leaseNamespace,
        leaseName,
        identity,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        port,
        resyncInterval,
        agentOpCooldown,
        apiThreads,
        operatorImage);
  }

  public OperatorSettings withResync(Duration resync, Duration cooldown) {
    return new OperatorSettings(
        namespaces,
        metricsHosts,
        metricsPort,
        leaderElect,
        leaseNamespace,
        leaseName,
        identity,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        agentPort,
        resync,
        cooldown,
        apiThreads,
        operatorImage);
  }

  public OperatorSettings withOperatorImage(String image) {
    return new OperatorSettings(
        namespaces,
        metricsHosts,
        metricsPort,
        leaderElect,
        leaseNamespace,
        leaseName,
        identity,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        agentPort,
        resyncInterval,
        agentOpCooldown,
        apiThreads,
        image);
  }

  /**
   * The image data pods take the agent from: $OPERATOR_IMAGE (set by the Helm chart), else this
   * release's image.
   */
  /**
   * How often Running backups' agents are asked for progress and backup schedules are evaluated.
   */
  public Duration backupPollInterval() {
    return Duration.ofSeconds(2);
  }

  /**
   * A Running backup whose agent does not answer for this long ends Failed (a transfer never stays
   * Running).
   */
  public Duration backupAgentUnreachableLimit() {
    return Duration.ofSeconds(30);
  }

  public static String defaultOperatorImage() {
    String image = System.getenv("OPERATOR_IMAGE");
    return image == null || image.isBlank() ? DEFAULT_OPERATOR_IMAGE : image;
  }

  public static final String DEFAULT_OPERATOR_IMAGE = "ghcr.io/redis-operator/redis-operator:0.1.0";

  /**
   * The pod name when running in a pod (Downward API), else the host name, plus a random suffix.
   */
  static String defaultIdentity() {
    String base = System.getenv("POD_NAME");
    if (base == null || base.isBlank()) {
      try {
        base = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        base = "redis-operator";
      }
    }
    return base + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }
}
