package io.redisoperator.controller.agent;

import io.redisoperator.controller.leader.Leadership;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Agent operations only while this process leads; status polls and backup progress (reads) always. */
public final class LeaderOnlyAgentClient implements AgentClient {
  private final AgentClient delegate;
  private final Leadership leadership;

  public LeaderOnlyAgentClient(AgentClient delegate, Leadership leadership) {
    this.delegate = delegate;
    this.leadership = leadership;
  }

  private <T> CompletionStage<T> ifLeading(Supplier<CompletionStage<T>> operation) {
    try {
      leadership.check();
    } catch (Leadership.NotLeaderException e) {
      return CompletableFuture.failedFuture(e);
    }
    return operation.get();
  }

  @Override
  public CompletionStage<InstanceStatus> status(String host, String token, Duration timeout) {
    return delegate.status(host, token, timeout);
  }

  @Override
  public CompletionStage<OperationResult> promote(String host, String token, PromoteRequest request) {
    return ifLeading(() -> delegate.promote(host, token, request));
  }

  @Override
  public CompletionStage<OperationResult> replicate(String host, String token, ReplicateRequest request) {
    return ifLeading(() -> delegate.replicate(host, token, request));
  }

  @Override
  public CompletionStage<OperationResult> fence(String host, String token, FenceRequest request) {
    return ifLeading(() -> delegate.fence(host, token, request));
  }

  @Override
  public CompletionStage<OperationResult> unfence(String host, String token) {
    return ifLeading(() -> delegate.unfence(host, token));
  }

  @Override
  public CompletionStage<SwitchoverResult> switchover(String host, String token, SwitchoverRequest request) {
    return ifLeading(() -> delegate.switchover(host, token, request));
  }

  @Override
  public CompletionStage<BackupProgress> startBackup(String host, String token, BackupRequest request) {
    return ifLeading(() -> delegate.startBackup(host, token, request));
  }

  @Override
  public CompletionStage<BackupProgress> backupProgress(String host, String token) {
    return delegate.backupProgress(host, token);
  }
}
