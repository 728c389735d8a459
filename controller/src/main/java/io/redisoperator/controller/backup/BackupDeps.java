package io.redisoperator.controller.backup;

import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.kube.OwnedCache;
import java.time.Clock;
import java.time.Duration;

/**
 * What the backup actors need from the outside world.
 *
 * @param pollInterval how often Running backups' agents are asked for progress and schedules are
 *     evaluated
 * @param agentUnreachableLimit a Running backup whose agent does not answer for this long ends
 *     Failed
 */
public record BackupDeps(
    BackupInformers informers,
    OwnedCache cache,
    KubeGateway kube,
    AgentClient agents,
    StoreObjects store,
    BackupMetrics metrics,
    Clock clock,
    Duration pollInterval,
    Duration agentUnreachableLimit) {}
