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

  /**
   * A status of pod {@code podName} to fill in field by field: everything unset is null, false or
   * 0, except the protocol version, which is this one ({@link AgentApi#PROTOCOL_VERSION}).
   */
  public static Builder builder(String podName) {
    return new Builder(podName);
  }

  /** This status, to change some of its fields. */
  public Builder toBuilder() {
    Builder b = new Builder(podName);
    b.role = role;
    b.redisUp = redisUp;
    b.redisVersion = redisVersion;
    b.masterReplId = masterReplId;
    b.replicationOffset = replicationOffset;
    b.masterHost = masterHost;
    b.masterPort = masterPort;
    b.masterLinkUp = masterLinkUp;
    b.masterLastIoSecondsAgo = masterLastIoSecondsAgo;
    b.connectedReplicas = connectedReplicas;
    b.fenced = fenced;
    b.selfFenced = selfFenced;
    b.restartCount = restartCount;
    b.configHash = configHash;
    b.secretVersions = secretVersions;
    b.agentUptimeSeconds = agentUptimeSeconds;
    b.redisProcessRunning = redisProcessRunning;
    b.backup = backup;
    b.protocolVersion = protocolVersion;
    b.acl = acl;
    return b;
  }

  /** Builds an {@link InstanceStatus} by field name: the record has too many for positions. */
  public static final class Builder {
    private final String podName;
    private InstanceRole role;
    private boolean redisUp;
    private String redisVersion;
    private String masterReplId;
    private Long replicationOffset;
    private String masterHost;
    private Integer masterPort;
    private Boolean masterLinkUp;
    private Long masterLastIoSecondsAgo;
    private List<ReplicaInfo> connectedReplicas;
    private boolean fenced;
    private boolean selfFenced;
    private int restartCount;
    private String configHash;
    private Map<String, String> secretVersions;
    private long agentUptimeSeconds;
    private Boolean redisProcessRunning;
    private BackupProgress backup;
    private Integer protocolVersion = AgentApi.PROTOCOL_VERSION;
    private AclStatus acl;

    private Builder(String podName) {
      this.podName = podName;
    }

    public Builder role(InstanceRole role) {
      this.role = role;
      return this;
    }

    public Builder redisUp(boolean redisUp) {
      this.redisUp = redisUp;
      return this;
    }

    public Builder redisVersion(String redisVersion) {
      this.redisVersion = redisVersion;
      return this;
    }

    public Builder masterReplId(String masterReplId) {
      this.masterReplId = masterReplId;
      return this;
    }

    public Builder replicationOffset(Long replicationOffset) {
      this.replicationOffset = replicationOffset;
      return this;
    }

    public Builder masterHost(String masterHost) {
      this.masterHost = masterHost;
      return this;
    }

    public Builder masterPort(Integer masterPort) {
      this.masterPort = masterPort;
      return this;
    }

    public Builder masterLinkUp(Boolean masterLinkUp) {
      this.masterLinkUp = masterLinkUp;
      return this;
    }

    public Builder masterLastIoSecondsAgo(Long masterLastIoSecondsAgo) {
      this.masterLastIoSecondsAgo = masterLastIoSecondsAgo;
      return this;
    }

    public Builder connectedReplicas(List<ReplicaInfo> connectedReplicas) {
      this.connectedReplicas = connectedReplicas;
      return this;
    }

    public Builder fenced(boolean fenced) {
      this.fenced = fenced;
      return this;
    }

    public Builder selfFenced(boolean selfFenced) {
      this.selfFenced = selfFenced;
      return this;
    }

    public Builder restartCount(int restartCount) {
      this.restartCount = restartCount;
      return this;
    }

    public Builder configHash(String configHash) {
      this.configHash = configHash;
      return this;
    }

    public Builder secretVersions(Map<String, String> secretVersions) {
      this.secretVersions = secretVersions;
      return this;
    }

    public Builder agentUptimeSeconds(long agentUptimeSeconds) {
      this.agentUptimeSeconds = agentUptimeSeconds;
      return this;
    }

    public Builder redisProcessRunning(Boolean redisProcessRunning) {
      this.redisProcessRunning = redisProcessRunning;
      return this;
    }

    public Builder backup(BackupProgress backup) {
      this.backup = backup;
      return this;
    }

    public Builder protocolVersion(Integer protocolVersion) {
      this.protocolVersion = protocolVersion;
      return this;
    }

    public Builder acl(AclStatus acl) {
      this.acl = acl;
      return this;
    }

    public InstanceStatus build() {
      return new InstanceStatus(
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
          acl);
    }
  }

  /**
   * The agent saw its redis-server process exit (and it is not running again): Redis is certainly
   * not serving.
   */
  public boolean redisProcessDead() {
    return Boolean.FALSE.equals(redisProcessRunning);
  }
}
