package io.redisoperator.agent;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the agent needs to run, resolved from the command line and the Downward API environment.
 *
 * @param kubernetesMaster API server URL override; null uses fabric8's auto-configuration (in-cluster or
 *     KUBERNETES_MASTER)
 */
public record AgentSettings(
    String podName,
    String namespace,
    String clusterName,
    String podIp,
    String redisServer,
    int redisPort,
    int httpPort,
    Path dataDir,
    Path configDir,
    Path authDir,
    Path tokenDir,
    Duration shutdownGrace,
    Duration operationTimeout,
    Duration redisTimeout,
    Duration kubeTimeout,
    Duration statusInterval,
    Duration filePollInterval,
    long readyMaxReplicaLagSeconds,
    String kubernetesMaster) {

  public Path confFile() {
    return dataDir.resolve("redis.conf");
  }

  /** An {@code InstanceLayout} absolute path, under {@code fsRoot} when one is set (sandbox, local runs). */
  public static Path resolve(String fsRoot, String absolutePath) {
    if (fsRoot == null || fsRoot.isBlank()) {
      return Path.of(absolutePath);
    }
    return Path.of(fsRoot).resolve(absolutePath.replaceFirst("^/+", ""));
  }
}
