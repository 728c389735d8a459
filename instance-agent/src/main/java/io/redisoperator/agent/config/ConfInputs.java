package io.redisoperator.agent.config;

import io.redisoperator.protocol.agent.InstanceSettings;
import java.nio.file.Path;

/**
 * Everything redis.conf is rendered from.
 *
 * @param podIp the pod's IP (bind, bind-source-addr, replica-announce-ip)
 * @param password the replication user's password (masterauth; every user's is in the ACL file)
 * @param replicaOf the primary to follow, null to start as a primary
 * @param writable false while fenced or held at boot: the server then refuses writes from its first
 *     moment
 * @param settings validated cluster settings (user directives, durability, TLS)
 * @param redisTlsDir Redis' projected TLS files, used when the settings turn TLS on
 */
public record ConfInputs(
    String podIp,
    int port,
    Path dataDir,
    String password,
    Endpoint replicaOf,
    boolean writable,
    InstanceSettings settings,
    Path redisTlsDir) {

  /** Plaintext Redis. */
  public ConfInputs(
      String podIp,
      int port,
      Path dataDir,
      String password,
      Endpoint replicaOf,
      boolean writable,
      InstanceSettings settings) {
    this(podIp, port, dataDir, password, replicaOf, writable, settings, null);
  }
}
