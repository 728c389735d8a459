package io.redisoperator.controller.support;

import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.LegacyUsersRequest;
import io.redisoperator.protocol.agent.LegacyUsersResult;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * An {@link AgentClient} for actor tests that script a few calls: every call the test does not
 * override fails the test at once ({@link UnsupportedOperationException}), so an unexpected call is
 * seen, never answered by accident.
 */
public abstract class UnscriptedAgentClient implements AgentClient {
  private static UnsupportedOperationException unscripted(String call) {
    return new UnsupportedOperationException(call + " is not scripted in this test");
  }

  @Override
  public CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout) {
    throw unscripted("status");
  }

  @Override
  public CompletionStage<OperationResult> promote(AgentEndpoint agent, PromoteRequest request) {
    throw unscripted("promote");
  }

  @Override
  public CompletionStage<OperationResult> replicate(AgentEndpoint agent, ReplicateRequest request) {
    throw unscripted("replicate");
  }

  @Override
  public CompletionStage<OperationResult> fence(AgentEndpoint agent, FenceRequest request) {
    throw unscripted("fence");
  }

  @Override
  public CompletionStage<OperationResult> unfence(AgentEndpoint agent) {
    throw unscripted("unfence");
  }

  @Override
  public CompletionStage<SwitchoverResult> switchover(
      AgentEndpoint agent, SwitchoverRequest request) {
    throw unscripted("switchover");
  }

  @Override
  public CompletionStage<BackupProgress> startBackup(AgentEndpoint agent, BackupRequest request) {
    throw unscripted("startBackup");
  }

  @Override
  public CompletionStage<BackupProgress> backupProgress(AgentEndpoint agent) {
    throw unscripted("backupProgress");
  }

  @Override
  public CompletionStage<LegacyUsersResult> legacyUsers(
      AgentEndpoint agent, LegacyUsersRequest request) {
    throw unscripted("legacyUsers");
  }
}
