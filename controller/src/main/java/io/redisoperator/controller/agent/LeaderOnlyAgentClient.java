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

/**
 * Agent operations only while this process leads; status polls and backup progress (reads) always.
 */
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
  public CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout) {
    return delegate.status(agent, timeout);
  }

  @Override
  public Duration lateness() {
    return delegate.lateness();
  }

  @Override
  public CompletionStage<VersionedStatus> watchStatus(
      AgentEndpoint agent, String since, Duration wait, Duration timeout) {
    return delegate.watchStatus(agent, since, wait, timeout);
  }

  @Override
  public CompletionStage<VersionedStatus> urgentStatus(AgentEndpoint agent, Duration timeout) {
    return delegate.urgentStatus(agent, timeout);
  }

  @Override
  public CompletionStage<VersionedStatus> watchStatus(
      AgentEndpoint agent, String since, Duration wait, Duration timeout, VersionedStatus known) {
    return delegate.watchStatus(agent, since, wait, timeout, known);
  }

  @Override
  public CompletionStage<VersionedStatus> urgentStatus(
      AgentEndpoint agent, Duration timeout, VersionedStatus known) {
    return delegate.urgentStatus(agent, timeout, known);
  }

  @Override
  public CompletionStage<OperationResult> promote(AgentEndpoint agent, PromoteRequest request) {
    return ifLeading(() -> delegate.promote(agent, request));
  }

  @Override
  public CompletionStage<OperationResult> replicate(AgentEndpoint agent, ReplicateRequest request) {
    return ifLeading(() -> delegate.replicate(agent, request));
  }

  @Override
  public CompletionStage<OperationResult> fence(AgentEndpoint agent, FenceRequest request) {
    return ifLeading(() -> delegate.fence(agent, request));
  }

  @Override
  public CompletionStage<OperationResult> unfence(AgentEndpoint agent) {
    return ifLeading(() -> delegate.unfence(agent));
  }

  @Override
  public CompletionStage<SwitchoverResult> switchover(
      AgentEndpoint agent, SwitchoverRequest request) {
    return ifLeading(() -> delegate.switchover(agent, request));
  }

  @Override
  public CompletionStage<BackupProgress> startBackup(AgentEndpoint agent, BackupRequest request) {
    return ifLeading(() -> delegate.startBackup(agent, request));
  }

  @Override
  public CompletionStage<io.redisoperator.protocol.agent.LegacyUsersResult> legacyUsers(
      AgentEndpoint agent, io.redisoperator.protocol.agent.LegacyUsersRequest request) {
    return ifLeading(() -> delegate.legacyUsers(agent, request));
  }

  @Override
  public CompletionStage<BackupProgress> backupProgress(AgentEndpoint agent) {
    return delegate.backupProgress(agent);
  }
}
