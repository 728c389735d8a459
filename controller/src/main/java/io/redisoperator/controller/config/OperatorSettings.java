package io.redisoperator.controller.config;

import io.redisoperator.protocol.agent.AgentApi;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

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
  /**
   * Threads for API calls (fabric8's calls block, so this is how many are in flight at most). A
   * start-up of 1000 clusters with 8 wrote about 90 objects a second where a bare client with 16 in
   * flight wrote 250 against the same API server ({@code make bench-scale}).
   */
  public static final int DEFAULT_API_THREADS = 32;

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
        DEFAULT_API_THREADS,
        defaultOperatorImage());
  }

  public OperatorSettings withNamespaces(List<String> value) {
    return with(c -> c.namespaces = value);
  }

  public OperatorSettings withMetrics(List<String> hosts, int port) {
    return with(
        c -> {
          c.metricsHosts = hosts;
          c.metricsPort = port;
        });
  }

  public OperatorSettings withLeaderElection(
      boolean enabled, String namespace, String name, String id) {
    return with(
        c -> {
          c.leaderElect = enabled;
          c.leaseNamespace = namespace;
          c.leaseName = name;
          c.identity = id;
        });
  }

  public OperatorSettings withLeaseTiming(Duration duration, Duration renew, Duration retry) {
    return with(
        c -> {
          c.leaseDuration = duration;
          c.renewDeadline = renew;
          c.retryPeriod = retry;
        });
  }

  public OperatorSettings withAgentPort(int port) {
    return with(c -> c.agentPort = port);
  }

  public OperatorSettings withResync(Duration resync, Duration cooldown) {
    return with(
        c -> {
          c.resyncInterval = resync;
          c.agentOpCooldown = cooldown;
        });
  }

  public OperatorSettings withOperatorImage(String image) {
    return with(c -> c.operatorImage = image);
  }

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

  /**
   * The image data pods take the agent from: $OPERATOR_IMAGE (set by the Helm chart), else this
   * release's image.
   */
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

  /** This record with some components changed: what every {@code with} method is. */
  private OperatorSettings with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a OperatorSettings, to change before building the next one. */
  private static final class Copy {
    List<String> namespaces;
    List<String> metricsHosts;
    int metricsPort;
    boolean leaderElect;
    String leaseNamespace;
    String leaseName;
    String identity;
    Duration leaseDuration;
    Duration renewDeadline;
    Duration retryPeriod;
    int agentPort;
    Duration resyncInterval;
    Duration agentOpCooldown;
    int apiThreads;
    String operatorImage;

    Copy(OperatorSettings from) {
      namespaces = from.namespaces;
      metricsHosts = from.metricsHosts;
      metricsPort = from.metricsPort;
      leaderElect = from.leaderElect;
      leaseNamespace = from.leaseNamespace;
      leaseName = from.leaseName;
      identity = from.identity;
      leaseDuration = from.leaseDuration;
      renewDeadline = from.renewDeadline;
      retryPeriod = from.retryPeriod;
      agentPort = from.agentPort;
      resyncInterval = from.resyncInterval;
      agentOpCooldown = from.agentOpCooldown;
      apiThreads = from.apiThreads;
      operatorImage = from.operatorImage;
    }

    OperatorSettings build() {
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
          operatorImage);
    }
  }
}
