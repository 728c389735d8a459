package io.redisoperator.agent;

import io.redisoperator.protocol.agent.InstanceLayout;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the agent needs to run, resolved from the command line and the Downward API
 * environment, in groups of related settings.
 *
 * @param redisServer the redis-server (or redis-sentinel) binary to start
 * @param readyMaxReplicaLagSeconds seconds since a replica last heard its primary above which it is
 *     not ready
 * @param kubernetesMaster API server URL override; null uses fabric8's auto-configuration
 *     (in-cluster or KUBERNETES_MASTER)
 */
public record AgentSettings(
    PodIdentity pod,
    String redisServer,
    Ports ports,
    Directories dirs,
    Timing timing,
    long readyMaxReplicaLagSeconds,
    String kubernetesMaster) {

  /** Who the agent is: its pod (from the Downward API) and the cluster the pod belongs to. */
  public record PodIdentity(String name, String namespace, String clusterName, String ip) {}

  /**
   * @param redis the port Redis (or Sentinel) listens on
   * @param http the agent API (HTTPS, mutual TLS)
   * @param probe probes and metrics (plain HTTP)
   */
  public record Ports(int redis, int http, int probe) {}

  /**
   * Where the agent reads and writes, each an {@link InstanceLayout} path (under a file system root
   * in the sandbox and local runs).
   *
   * @param data the data volume: redis.conf, the ACL file, the dump
   * @param config the settings ConfigMap
   * @param auth the operator's auth Secret
   * @param agentTls the agent API's certificate
   * @param redisTls Redis' own TLS files (spec.tls)
   * @param backupCredentials the object store's credentials for backups
   * @param restore the restore source
   */
  public record Directories(
      Path data,
      Path config,
      Path auth,
      Path agentTls,
      Path redisTls,
      Path backupCredentials,
      Path restore) {

    /**
     * Directories whose backup credentials and restore source sit beside the config directory, as
     * in the pod layout.
     */
    public static Directories besideConfig(
        Path data, Path config, Path auth, Path agentTls, Path redisTls) {
      return new Directories(
          data,
          config,
          auth,
          agentTls,
          redisTls,
          sibling(config, InstanceLayout.BACKUP_CREDENTIALS_DIR),
          sibling(config, InstanceLayout.RESTORE_DIR));
    }

    /**
     * The projected {@code <cluster>-acl} Secret, beside the config directory as in the pod layout.
     */
    public Path acl() {
      return sibling(config, InstanceLayout.ACL_DIR);
    }

    /** The ACL file Redis loads at start, on the data volume. */
    public Path aclFile() {
      return data.resolve(InstanceLayout.ACL_FILE);
    }

    public Path confFile() {
      return data.resolve("redis.conf");
    }

    private static Path sibling(Path configDir, String layoutPath) {
      Path parent = configDir.toAbsolutePath().getParent();
      return parent.resolve(Path.of(layoutPath).getFileName().toString());
    }
  }

  /**
   * @param shutdownGrace how long a stop may take before the process is killed
   * @param operationTimeout deadline of promote/replicate/fence calls
   * @param redisTimeout deadline of one Redis command
   * @param kubeTimeout deadline of one API server read
   * @param statusInterval how often INFO refreshes the cached status
   * @param filePollInterval how often projected Secrets and settings are checked
   */
  public record Timing(
      Duration shutdownGrace,
      Duration operationTimeout,
      Duration redisTimeout,
      Duration kubeTimeout,
      Duration statusInterval,
      Duration filePollInterval) {}

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
