package io.redisoperator.protocol.agent;

/**
 * Body of {@code POST /v1/legacy-users} (protocol version 4): give the pod {@code pod} of the
 * agent's own cluster, whose Redis runs an operator version from before ACL users, the operator's
 * users, so replicas of this version can replicate from it during an upgrade. The agent connects to
 * {@code host:port} as {@code default} with {@code defaultPassword} (the cluster's auth password,
 * which such a Redis has as {@code requirepass}); it checks first that {@code host} is that pod's
 * address.
 */
public record LegacyUsersRequest(String pod, String host, int port, String defaultPassword) {
  @Override
  public String toString() {
    return "LegacyUsersRequest[" + pod + ", " + host + ":" + port + "]";
  }
}
