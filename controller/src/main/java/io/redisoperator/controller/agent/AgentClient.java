package io.redisoperator.controller.agent;

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
 * The controller's side of the agent HTTP contract ({@code protocol.agent}), over mutual TLS with
 * the cluster's {@link AgentCredentials}: the agent must prove it is the pod named in the {@link
 * AgentEndpoint}. A failed call completes exceptionally with {@link AgentCallException}, which
 * tells a refused connection (the agent is gone) from a timeout (the agent may be alive behind a
 * partition).
 */
public interface AgentClient {
  CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout);

  /**
   * How late the client's own event loops run now: an answer that has arrived may wait that long to
   * be read. Zero when the client keeps up, or does not know.
   */
  default Duration lateness() {
    return Duration.ZERO;
  }

  /**
   * A status and the agent's status version ({@code AgentApi.STATUS_VERSION_HEADER}); null from an
   * agent before it.
   */
  record VersionedStatus(InstanceStatus status, String version) {}

  /**
   * {@code GET /v1/status?since=..&waitMs=..}: held by the agent while its status version is {@code
   * since} (null: answered at once), at most {@code wait}; {@code timeout} is how long the answer
   * may take beyond that. A client or agent without the long-poll answers at once without a
   * version.
   */
  default CompletionStage<VersionedStatus> watchStatus(
      AgentEndpoint agent, String since, Duration wait, Duration timeout) {
    return status(agent, timeout).thenApply(status -> new VersionedStatus(status, null));
  }

  /**
   * A status answered at once, on a connection of its own: sent beside a held {@link #watchStatus}.
   */
  default CompletionStage<VersionedStatus> urgentStatus(AgentEndpoint agent, Duration timeout) {
    return watchStatus(agent, null, Duration.ZERO, timeout);
  }

  /**
   * As {@link #watchStatus(AgentEndpoint, String, Duration, Duration)}, for a caller that has
   * {@code known} (null: nothing): an agent whose status version is still {@code known}'s may
   * answer that it is unchanged without sending it ({@code AgentApi.IF_NONE_MATCH_HEADER}, protocol
   * version 5), and the answer is then {@code known}'s status with the fields that moved ({@code
   * StatusVolatiles}): the same as a full answer, at a fraction of its cost on both sides.
   */
  default CompletionStage<VersionedStatus> watchStatus(
      AgentEndpoint agent, String since, Duration wait, Duration timeout, VersionedStatus known) {
    return watchStatus(agent, since, wait, timeout);
  }

  /**
   * As {@link #urgentStatus(AgentEndpoint, Duration)}, unchanged answered as by {@link
   * #watchStatus(AgentEndpoint, String, Duration, Duration, VersionedStatus)}.
   */
  default CompletionStage<VersionedStatus> urgentStatus(
      AgentEndpoint agent, Duration timeout, VersionedStatus known) {
    return urgentStatus(agent, timeout);
  }

  CompletionStage<OperationResult> promote(AgentEndpoint agent, PromoteRequest request);

  CompletionStage<OperationResult> replicate(AgentEndpoint agent, ReplicateRequest request);

  CompletionStage<OperationResult> fence(AgentEndpoint agent, FenceRequest request);

  /** {@code DELETE /v1/fence}: lifts a fence the controller or a human set. */
  CompletionStage<OperationResult> unfence(AgentEndpoint agent);

  CompletionStage<SwitchoverResult> switchover(AgentEndpoint agent, SwitchoverRequest request);

  /**
   * {@code POST /v1/backup}: starts a backup on the agent (202: its progress); the transfer goes on
   * in the background.
   */
  CompletionStage<BackupProgress> startBackup(AgentEndpoint agent, BackupRequest request);

  /**
   * {@code GET /v1/backup}: the agent's latest backup; HTTP 404 when it ran none since it started.
   */
  CompletionStage<BackupProgress> backupProgress(AgentEndpoint agent);

  /**
   * {@code POST /v1/legacy-users}: the agent gives a peer from before ACL users the operator's
   * users (upgrade path; agents of protocol version 4 and later).
   */
  CompletionStage<LegacyUsersResult> legacyUsers(AgentEndpoint agent, LegacyUsersRequest request);
}
