package io.redisoperator.controller.agent;

import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The controller's side of the agent HTTP contract ({@code protocol.agent}). Every call carries the cluster's bearer
 * token. A failed call completes exceptionally with {@link AgentCallException}, which tells a refused connection (the
 * agent is gone) from a timeout (the agent may be alive behind a partition).
 */
public interface AgentClient {
  CompletionStage<InstanceStatus> status(String host, String token, Duration timeout);

  CompletionStage<OperationResult> promote(String host, String token, PromoteRequest request);

  CompletionStage<OperationResult> replicate(String host, String token, ReplicateRequest request);

  CompletionStage<OperationResult> fence(String host, String token, FenceRequest request);

  /** {@code DELETE /v1/fence}: lifts a fence the controller or a human set. */
  CompletionStage<OperationResult> unfence(String host, String token);

  CompletionStage<SwitchoverResult> switchover(String host, String token, SwitchoverRequest request);

  /** {@code POST /v1/backup}: starts a backup on the agent (202: its progress); the transfer goes on in the background. */
  CompletionStage<BackupProgress> startBackup(String host, String token, BackupRequest request);

  /** {@code GET /v1/backup}: the agent's latest backup; HTTP 404 when it ran none since it started. */
  CompletionStage<BackupProgress> backupProgress(String host, String token);
}
