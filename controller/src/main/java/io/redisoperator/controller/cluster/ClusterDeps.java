package io.redisoperator.controller.cluster;

import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.kube.OwnedCache;
import io.redisoperator.controller.metrics.OperatorMetrics;
import io.redisoperator.controller.pod.AnswerPace;
import io.redisoperator.controller.pod.NewConnections;
import io.redisoperator.controller.reconcile.ReconcilePlanner;
import java.time.Clock;
import java.time.Duration;

/**
 * What a cluster actor needs from the outside world.
 *
 * @param resyncInterval a pass runs at least this often even when nothing changes (it finds nothing
 *     to write)
 * @param agentOpCooldown an agent request (replicate, fence) is not repeated sooner than this
 * @param operatorImage the image data pods take the agent from
 * @param newConnections how many pods of all clusters are contacted for the first time at once
 * @param answerPace how the status polls of all clusters' pods fare lately
 */
public record ClusterDeps(
    OwnedCache cache,
    KubeGateway kube,
    AgentClient agents,
    OperatorMetrics metrics,
    ReconcilePlanner planner,
    Clock clock,
    Duration resyncInterval,
    Duration agentOpCooldown,
    String operatorImage,
    NewConnections newConnections,
    AnswerPace answerPace) {}
