package io.redisoperator.agent;

import io.redisoperator.agent.runtime.PodLogIdentity;
import io.redisoperator.agent.sentinel.SentinelAgent;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code instance} role: the agent that owns redis-server inside a data pod. */
@Command(
    name = "instance",
    mixinStandardHelpOptions = true,
    description =
        "Run the instance agent: render redis.conf, supervise redis-server, serve the agent HTTP API (--role=sentinel: the sentinel pod agent).")
public final class AgentMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(AgentMain.class);

  /** Which agent this pod runs. */
  enum Role {
    data,
    sentinel
  }

  @Option(
      names = "--role",
      defaultValue = "data",
      description =
          "data (a data pod) or sentinel (a sentinel pod, sentinel mode) (default: ${DEFAULT-VALUE}).")
  Role role;

  @Option(
      names = "--redis-sentinel",
      defaultValue = "redis-sentinel",
      description = "redis-sentinel binary, sentinel role (default: ${DEFAULT-VALUE}, from PATH).")
  String redisSentinel;

  @Option(
      names = "--sentinel-port",
      defaultValue = "" + AgentApi.SENTINEL_PORT,
      description = "Sentinel port, sentinel role (default: ${DEFAULT-VALUE}).")
  int sentinelPort;

  @Option(
      names = "--follow-interval",
      defaultValue = "500ms",
      converter = DurationConverter.class,
      description =
          "How often the sentinel role compares the recorded primary (from its watch cache) with Sentinel's, besides on every change (default: ${DEFAULT-VALUE}).")
  Duration followInterval;

  @Option(
      names = InstanceLayout.SENTINEL_TLS_ARG,
      description =
          "Sentinel role: serve and speak TLS with the files of the Redis TLS directory (spec.tls).")
  boolean sentinelTls;

  @Option(
      names = "--redis-server",
      defaultValue = "redis-server",
      description = "redis-server binary (default: ${DEFAULT-VALUE}, from PATH).")
  String redisServer;

  @Option(
      names = "--redis-port",
      defaultValue = "" + AgentApi.REDIS_PORT,
      description = "Redis port (default: ${DEFAULT-VALUE}).")
  int redisPort;

  @Option(
      names = "--http-port",
      defaultValue = "" + AgentApi.PORT,
      description =
          "Agent API port, HTTPS with the controller's client certificate (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--probe-port",
      defaultValue = "" + AgentApi.PROBE_PORT,
      description = "Probes and metrics port, plain HTTP (default: ${DEFAULT-VALUE}).")
  int probePort;

  @Option(
      names = "--pod-name",
      defaultValue = "${env:" + InstanceLayout.ENV_POD_NAME + "}",
      description = "Pod name (default: $POD_NAME).")
  String podName;

  @Option(
      names = "--pod-namespace",
      defaultValue = "${env:" + InstanceLayout.ENV_POD_NAMESPACE + "}",
      description = "Namespace (default: $POD_NAMESPACE).")
  String namespace;

  @Option(
      names = "--pod-ip",
      defaultValue = "${env:" + InstanceLayout.ENV_POD_IP + "}",
      description = "Pod IP (default: $POD_IP).")
  String podIp;

  @Option(
      names = "--cluster-name",
      defaultValue = "${env:" + InstanceLayout.ENV_CLUSTER_NAME + "}",
      description = "RedisCluster name (default: $CLUSTER_NAME).")
  String clusterName;

  @Option(
      names = "--fs-root",
      defaultValue = "${env:" + InstanceLayout.ENV_FS_ROOT + "}",
      description =
          "Resolve the pod layout paths under this directory (default: $REDIS_OPERATOR_FS_ROOT).")
  String fsRoot;

  @Option(
      names = "--data-dir",
      description = "Data directory (default: " + InstanceLayout.DATA_DIR + ").")
  Path dataDir;

  @Option(
      names = "--config-dir",
      description = "Settings ConfigMap mount (default: " + InstanceLayout.CONFIG_DIR + ").")
  Path configDir;

  @Option(
      names = "--auth-dir",
      description = "Auth Secret mount (default: " + InstanceLayout.AUTH_DIR + ").")
  Path authDir;

  @Option(
      names = "--agent-tls-dir",
      description = "Agent TLS Secret mount (default: " + InstanceLayout.AGENT_TLS_DIR + ").")
  Path agentTlsDir;

  @Option(
      names = "--backup-credentials-dir",
      description =
          "Object-store credentials mount (default: "
              + InstanceLayout.BACKUP_CREDENTIALS_DIR
              + ").")
  Path backupCredentialsDir;

  @Option(
      names = "--restore-dir",
      description = "Bootstrap restore source mount (default: " + InstanceLayout.RESTORE_DIR + ").")
  Path restoreDir;

  @Option(
      names = "--sentinel-auth-dir",
      description =
          "Sentinel admin Secret mount, sentinel role (default: "
              + InstanceLayout.SENTINEL_AUTH_DIR
              + ").")
  Path sentinelAuthDir;

  @Option(
      names = "--redis-tls-dir",
      description =
          "Redis TLS files mount, used when spec.tls is set (default: "
              + InstanceLayout.REDIS_TLS_DIR
              + ").")
  Path redisTlsDir;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "25s",
      converter = DurationConverter.class,
      description =
          "Time redis-server gets to shut down after SIGTERM (default: ${DEFAULT-VALUE}).")
  Duration shutdownGrace;

  @Option(
      names = "--operation-timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Deadline of promote/replicate/fence calls (default: ${DEFAULT-VALUE}).")
  Duration operationTimeout;

  @Option(
      names = "--redis-timeout",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "Deadline of one Redis command (default: ${DEFAULT-VALUE}).")
  Duration redisTimeout;

  @Option(
      names = "--kube-timeout",
      defaultValue = "1500ms",
      converter = DurationConverter.class,
      description = "Deadline of one API server read (default: ${DEFAULT-VALUE}).")
  Duration kubeTimeout;

  @Option(
      names = "--status-interval",
      defaultValue = "250ms",
      converter = DurationConverter.class,
      description = "How often INFO refreshes the cached status (default: ${DEFAULT-VALUE}).")
  Duration statusInterval;

  @Option(
      names = "--file-poll-interval",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description =
          "How often projected Secrets and settings are checked (default: ${DEFAULT-VALUE}).")
  Duration filePollInterval;

  @Option(
      names = "--ready-max-lag",
      defaultValue = "10",
      description =
          "Seconds since a replica last heard its primary above which it is not ready (default: ${DEFAULT-VALUE}).")
  long readyMaxLagSeconds;

  @Option(
      names = "--kubernetes-master",
      defaultValue = "${env:KUBERNETES_MASTER}",
      description = "API server URL (default: in-cluster config or $KUBERNETES_MASTER).")
  String kubernetesMaster;

  /** Parses the role's arguments and runs it; returns the exit code (2 on bad arguments). */
  public static int run(String[] args) {
    return new CommandLine(new AgentMain()).execute(args);
  }

  /** The settings these options describe; fails on a missing identity. */
  AgentSettings settings() {
    require(podName, "--pod-name or $" + InstanceLayout.ENV_POD_NAME);
    require(namespace, "--pod-namespace or $" + InstanceLayout.ENV_POD_NAMESPACE);
    require(podIp, "--pod-ip or $" + InstanceLayout.ENV_POD_IP);
    require(clusterName, "--cluster-name or $" + InstanceLayout.ENV_CLUSTER_NAME);
    return new AgentSettings(
        new AgentSettings.PodIdentity(podName, namespace, clusterName, podIp),
        redisServer,
        new AgentSettings.Ports(redisPort, httpPort, probePort),
        new AgentSettings.Directories(
            orLayout(dataDir, InstanceLayout.DATA_DIR),
            orLayout(configDir, InstanceLayout.CONFIG_DIR),
            orLayout(authDir, InstanceLayout.AUTH_DIR),
            orLayout(agentTlsDir, InstanceLayout.AGENT_TLS_DIR),
            orLayout(redisTlsDir, InstanceLayout.REDIS_TLS_DIR),
            orLayout(backupCredentialsDir, InstanceLayout.BACKUP_CREDENTIALS_DIR),
            orLayout(restoreDir, InstanceLayout.RESTORE_DIR)),
        new AgentSettings.Timing(
            shutdownGrace,
            operationTimeout,
            redisTimeout,
            kubeTimeout,
            statusInterval,
            filePollInterval),
        readyMaxLagSeconds,
        kubernetesMaster);
  }

  private Path orLayout(Path explicit, String layoutPath) {
    return explicit != null ? explicit : AgentSettings.resolve(fsRoot, layoutPath);
  }

  private static void require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new CommandLine.ParameterException(new CommandLine(new AgentMain()), "missing " + what);
    }
  }

  @Override
  public Integer call() throws Exception {
    AgentSettings settings = settings();
    PodLogIdentity.install(
        PodLogIdentity.of(
            settings.pod().namespace(), settings.pod().clusterName(), settings.pod().name()));
    AutoCloseable agent =
        role == Role.sentinel
            ? SentinelAgent.start(
                settings,
                new SentinelAgent.Options(
                    redisSentinel,
                    sentinelPort,
                    followInterval,
                    orLayout(sentinelAuthDir, InstanceLayout.SENTINEL_AUTH_DIR),
                    sentinelTls))
            : InstanceAgent.start(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info(
                      "SIGTERM: stopping {} within {}",
                      role == Role.sentinel ? "redis-sentinel" : "redis-server",
                      settings.timing().shutdownGrace());
                  try {
                    agent.close();
                  } catch (Exception e) {
                    log.warn("agent did not close cleanly: {}", e.toString());
                  }
                  stopped.countDown();
                },
                "agent-shutdown"));
    stopped.await();
    return 0;
  }
}
