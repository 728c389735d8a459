package io.redisoperator.protocol.agent;

import io.redisoperator.protocol.acl.AclStatus;
import io.redisoperator.protocol.crd.InstanceRole;
import java.util.List;
import java.util.Map;

/**
 * The answer to {@code GET /v1/status}: what the agent knows of its Redis right now. When Redis
 * does not answer in time {@code redisUp} is false and the replication fields are null.
 *
 * @param masterLastIoSecondsAgo seconds since the replica last heard from its primary (-1 when
 *     unknown)
 * @param selfFenced the agent fenced itself because it lost both the API server and its peers
 * @param configHash hash of the redis.conf the running server was started with
 * @param secretVersions applied secret file versions, by secret purpose ("auth", "agent-tls")
 * @param redisProcessRunning whether the agent's redis-server child process is alive (null from an
 *     agent that does not say). Only {@code false} proves Redis is dead: {@code redisUp} false may
 *     just be a Redis too busy to answer INFO.
 * @param backup the latest backup or bootstrap restore this agent ran or runs (null: none since it
 *     started)
 * @param protocolVersion the agent's {@link AgentApi#PROTOCOL_VERSION} (null from agents before
 *     version 2)
 * @param acl the ACL users this agent applied (null from agents before ACL users)
 */
public record InstanceStatus(
    String podName,
    InstanceRole role,
    boolean redisUp,
    String redisVersion,
    String masterReplId,
    Long replicationOffset,
    String masterHost,
    Integer masterPort,
    Boolean masterLinkUp,
    Long masterLastIoSecondsAgo,
    List<ReplicaInfo> connectedReplicas,
    boolean fenced,
    boolean selfFenced,
    int restartCount,
    String configHash,
    Map<String, String> secretVersions,
    long agentUptimeSeconds,
    Boolean redisProcessRunning,
    BackupProgress backup,
    Integer protocolVersion,
    AclStatus acl) {

  /** A status without ACL state (agents before ACL users, tests that do not care). */
  public InstanceStatus(
      String podName,
      InstanceRole role,
      boolean redisUp,
      String redisVersion,
      String masterReplId,
      Long replicationOffset,
      String masterHost,
      Integer masterPort,
      Boolean masterLinkUp,
      Long masterLastIoSecondsAgo,
      List<ReplicaInfo> connectedReplicas,
      boolean fenced,
      boolean selfFenced,
      int restartCount,
      String configHash,
      Map<String, String> secretVersions,
      long agentUptimeSeconds,
      Boolean redisProcessRunning,
      BackupProgress backup,
      Integer protocolVersion) {
    this(
        podName,
        role,
        redisUp,
        redisVersion,
        masterReplId,
        replicationOffset,
        masterHost,
        masterPort,
        masterLinkUp,
        masterLastIoSecondsAgo,
        connectedReplicas,
        fenced,
        selfFenced,
        restartCount,
        configHash,
        secretVersions,
        agentUptimeSeconds,
        redisProcessRunning,
        backup,
        protocolVersion,
        null);
  }

  /** A status of this agent version ({@link AgentApi#PROTOCOL_VERSION}) without backup progress. */
  public InstanceStatus(
      String podName,
      InstanceRole role,
      boolean redisUp,
      String redisVersion,
      String masterReplId,
      Long replicationOffset,
      String masterHost,
      Integer masterPort,
      Boolean masterLinkUp,
      Long masterLastIoSecondsAgo,
      List<ReplicaInfo> connectedReplicas,
      boolean fenced,
      boolean selfFenced,
      int restartCount,
      String configHash,
      Map<String, String> secretVersions,
      long agentUptimeSeconds,
      Boolean redisProcessRunning) {
    this(
        podName,
        role,
        redisUp,
        redisVersion,
        masterReplId,
        replicationOffset,
        masterHost,
        masterPort,
        masterLinkUp,
        masterLastIoSecondsAgo,
        connectedReplicas,
        fenced,
        selfFenced,
        restartCount,
        configHash,
        secretVersions,
        agentUptimeSeconds,
        redisProcessRunning,
        null,
        AgentApi.PROTOCOL_VERSION);
  }

  /** A status that does not say whether the process runs (older agents, tests that do not care). */
  public InstanceStatus(
      String podName,
      InstanceRole role,
      boolean redisUp,
      String redisVersion,
      String masterReplId,
      Long replicationOffset,
      String masterHost,
      Integer masterPort,
      Boolean masterLinkUp,
      Long masterLastIoSecondsAgo,
      List<ReplicaInfo> connectedReplicas,
      boolean fenced,
      boolean selfFenced,
      int restartCount,
      String configHash,
      Map<String, String> secretVersions,
      long agentUptimeSeconds) {
    this(
        podName,
        role,
        redisUp,
        redisVersion,
        masterReplId,
        replicationOffset,
        masterHost,
        masterPort,
        masterLinkUp,
        masterLastIoSecondsAgo,
        connectedReplicas,
        fenced,
        selfFenced,
        restartCount,
        configHash,
        secretVersions,
        agentUptimeSeconds,
        null);
  }

  /**
   * The agent saw its redis-server process exit (and it is not running again): Redis is certainly
   * not serving.
   */
  public boolean redisProcessDead() {
    return Boolean.FALSE.equals(redisProcessRunning);
  }
}
