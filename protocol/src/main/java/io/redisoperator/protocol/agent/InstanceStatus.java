package io.redisoperator.protocol.agent;

import io.redisoperator.protocol.crd.InstanceRole;
import java.util.List;
import java.util.Map;

/**
 * The answer to {@code GET /v1/status}: what the agent knows of its Redis right now. When Redis does not answer in
 * time {@code redisUp} is false and the replication fields are null.
 *
 * @param masterLastIoSecondsAgo seconds since the replica last heard from its primary (-1 when unknown)
 * @param selfFenced the agent fenced itself because it lost both the API server and its peers
 * @param configHash hash of the redis.conf the running server was started with
 * @param secretVersions applied secret file versions, by secret purpose ("auth", "token")
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
    long agentUptimeSeconds) {}
