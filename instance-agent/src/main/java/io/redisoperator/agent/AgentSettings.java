package io.redisoperator.agent;

import io.redisoperator.protocol.agent.InstanceLayout;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the agent needs to run, resolved from the command line and the Downward API
 * environment.
 *
 * @param httpPort the agent API (HTTPS, mutual TLS)
 * @param probePort probes and metrics (plain HTTP)
 * @param kubernetesMaster API server URL override; null uses fabric8's auto-configuration
 *     (in-cluster or KUBERNETES_MASTER)
 */
public record AgentSettings(
    String podName,
    String namespace,
    String clusterName,
    String podIp,
    String redisServer,
    int redisPort,
    int httpPort,
    int probePort,
    Path dataDir,
    Path configDir,
    Path authDir,
    Path agentTlsDir,
    Path redisTlsDir,
    Duration shutdownGrace,
    Duration operationTimeout,
    Duration redisTimeout,
    Duration kubeTimeout,
    Duration statusInterval,
    Duration filePollInterval,
    long readyMaxReplicaLagSeconds,
    String kubernetesMaster,
    Path backupCredentialsDir,
    Path restoreDir) {

  /**
   * Settings whose backup credentials and restore source sit beside the config directory, as in the
   * pod layout.
   */
  public AgentSettings(
      String podName,
      String namespace,
      String clusterName,
      String podIp,
      String redisServer,
      int redisPort,
      int httpPort,
      int probePort,
      Path dataDir,
      Path configDir,
      Path authDir,
      Path agentTlsDir,
      Path redisTlsDir,
      Duration shutdownGrace,
      Duration operationTimeout,
      Duration redisTimeout,
      Duration kubeTimeout,
      Duration statusInterval,
      Duration filePollInterval,
      long readyMaxReplicaLagSeconds,
      String kubernetesMaster) {
    this(
        podName,
        namespace,
        clusterName,
        podIp,
        redisServer,
        redisPort,
        httpPort,
        probePort,
        dataDir,
        configDir,
        authDir,
        agentTlsDir,
        redisTlsDir,
        shutdownGrace,
        operationTimeout,
        redisTimeout,
        kubeTimeout,
        statusInterval,
        filePollInterval,
        readyMaxReplicaLagSeconds,
        kubernetesMaster,
        sibling(configDir, InstanceLayout.BACKUP_CREDENTIALS_DIR),
        sibling(configDir, InstanceLayout.RESTORE_DIR));
  }

  private static Path sibling(Path configDir, String layoutPath) {
    Path parent = configDir.toAbsolutePath().getParent();
    return parent.resolve(Path.of(layoutPath).getFileName().toString());
  }

  /**
   * The projected {@code <cluster>-acl} Secret, beside the config directory as in the pod layout.
   */
  public Path aclDir() {
    return sibling(configDir, InstanceLayout.ACL_DIR);
  }

  /** The ACL file Redis loads at start, on the data volume. */
  public Path aclFile() {
    return dataDir.resolve(InstanceLayout.ACL_FILE);
  }

  public Path confFile() {
    return dataDir.resolve("redis.conf");
  }

  /**
   * An {@code InstanceLayout} absolute path, under {@code fsRoot} when one is set (sandbox, local
   * runs).
   */
  public static Path resolve(String fsRoot, String absolutePath) {
    if (fsRoot == null || fsRoot.isBlank()) {
      return Path.of(absolutePath);
    }
    return Path.of(fsRoot).resolve(absolutePath.replaceFirst("^/+", ""));
  }
}
