package io.redisoperator.controller.agent;

import io.redisoperator.controller.agent.AgentExchange.Answer;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.StatusVolatiles;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import io.redisoperator.protocol.json.Json;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link AgentClient} over Vert.x: the agent API's calls, their timeouts and their JSON. The
 * clients and connections are {@link ClusterHttpClients}' (one HTTP client per cluster's {@link
 * AgentCredentials}, connections pooled per pod and closed when unused); one request and its
 * failures are {@link AgentExchange}'s (a call past its timeout is reset, which closes its
 * connection, so a hung agent holds nothing). Operations (promote, switchover, ...) and urgent
 * status requests beside a held long-poll get a connection of their own while the pod's pool has
 * one to give.
 */
public final class HttpAgentClient implements AgentClient, AutoCloseable {
  /**
   * Promote, replicate and fence are quick on the agent's side (a few Redis commands); a call that
   * takes longer is stuck, and the failover must not wait on it: the next pass re-plans from fresh
   * polls.
   */
  public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(5);

  private final ClusterHttpClients clients;
  private final AgentExchange exchange;

  public HttpAgentClient() {
    this(AgentApi.PORT);
  }

  /** {@code port} differs from {@link AgentApi#PORT} only in tests. */
  public HttpAgentClient(int port) {
    this(port, () -> -1);
  }

  /**
   * @param epoch the lease epoch sent with every request ({@link AgentApi#LEADER_EPOCH_HEADER});
   *     negative: none (no leader election)
   */
  public HttpAgentClient(int port, LongSupplier epoch) {
    this.clients = new ClusterHttpClients();
    this.exchange = new AgentExchange(clients, port, epoch);
  }

  /** Closes every connection and the client's threads. */
  @Override
  public void close() {
    clients.close();
  }

  @Override
  public Duration lateness() {
    return clients.lateness();
  }

  @Override
  public CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout) {
    return call(agent, HttpMethod.GET, AgentApi.PATH_STATUS, null, timeout, InstanceStatus.class);
  }

  @Override
  public CompletionStage<VersionedStatus> watchStatus(
      AgentEndpoint agent, String since, Duration wait, Duration timeout) {
    return watchStatus(agent, since, wait, timeout, null);
  }

  @Override
  public CompletionStage<VersionedStatus> watchStatus(
      AgentEndpoint agent, String since, Duration wait, Duration timeout, VersionedStatus known) {
    String query =
        since == null
            ? ""
            : "?"
                + AgentApi.STATUS_SINCE_PARAM
                + "="
                + java.net.URLEncoder.encode(since, java.nio.charset.StandardCharsets.UTF_8)
                + "&"
                + AgentApi.STATUS_WAIT_PARAM
                + "="
                + wait.toMillis();
    String path = AgentApi.PATH_STATUS + query;
    String knownVersion = known == null || known.status() == null ? null : known.version();
    return exchange
        .exchange(
            agent,
            HttpMethod.GET,
            path,
            null,
            since == null ? timeout : timeout.plus(wait),
            knownVersion,
            AgentExchange.LATE_STATUS_WAIT)
        .thenApply(
            answer ->
                answer.unchanged()
                    ? unchanged(agent, path, answer, known)
                    : new VersionedStatus(
                        parse(agent, path, answer, InstanceStatus.class), answer.version()));
  }

  @Override
  public CompletionStage<VersionedStatus> urgentStatus(AgentEndpoint agent, Duration timeout) {
    return urgentStatus(agent, timeout, null);
  }

  @Override
  public CompletionStage<VersionedStatus> urgentStatus(
      AgentEndpoint agent, Duration timeout, VersionedStatus known) {
    // The pool gives it a connection of its own while a long-poll holds another.
    return watchStatus(agent, null, Duration.ZERO, timeout, known);
  }

  /** The known status with the fields that moved, as the agent's {@code 304} gives them. */
  private VersionedStatus unchanged(
      AgentEndpoint agent, String path, Answer answer, VersionedStatus known) {
    try {
      StatusVolatiles moved = StatusVolatiles.parse(answer.volatiles());
      return new VersionedStatus(
          moved.applyTo(known.status()),
          answer.version() == null ? known.version() : answer.version());
    } catch (IllegalArgumentException e) {
      throw badAnswer(agent, path, answer, e);
    }
  }

  @Override
  public CompletionStage<OperationResult> promote(AgentEndpoint agent, PromoteRequest body) {
    if (body.timeoutMillis() == null || body.timeoutMillis() > OPERATION_TIMEOUT.toMillis() / 2) {
      // A promotion the agent may still carry out after this client gave up could make a second
      // primary.
      throw new IllegalArgumentException(
          "a promotion must carry a deadline of at most "
              + OPERATION_TIMEOUT.toMillis() / 2
              + " ms, got "
              + body);
    }
    return post(agent, AgentApi.PATH_PROMOTE, body, OperationResult.class);
  }

  @Override
  public CompletionStage<OperationResult> replicate(AgentEndpoint agent, ReplicateRequest body) {
    return post(agent, AgentApi.PATH_REPLICATE, body, OperationResult.class);
  }

  @Override
  public CompletionStage<OperationResult> fence(AgentEndpoint agent, FenceRequest body) {
    return post(agent, AgentApi.PATH_FENCE, body, OperationResult.class);
  }

  @Override
  public CompletionStage<OperationResult> unfence(AgentEndpoint agent) {
    return call(
        agent,
        HttpMethod.DELETE,
        AgentApi.PATH_FENCE,
        null,
        OPERATION_TIMEOUT,
        OperationResult.class);
  }

  @Override
  public CompletionStage<SwitchoverResult> switchover(AgentEndpoint agent, SwitchoverRequest body) {
    return call(
        agent,
        HttpMethod.POST,
        AgentApi.PATH_SWITCHOVER,
        json(body),
        OPERATION_TIMEOUT.plusMillis(body.timeoutMillis()),
        SwitchoverResult.class);
  }

  @Override
  public CompletionStage<BackupProgress> startBackup(AgentEndpoint agent, BackupRequest body) {
    return post(agent, AgentApi.PATH_BACKUP, body, BackupProgress.class);
  }

  @Override
  public CompletionStage<BackupProgress> backupProgress(AgentEndpoint agent) {
    return call(
        agent, HttpMethod.GET, AgentApi.PATH_BACKUP, null, OPERATION_TIMEOUT, BackupProgress.class);
  }

  @Override
  public CompletionStage<io.redisoperator.protocol.agent.LegacyUsersResult> legacyUsers(
      AgentEndpoint agent, io.redisoperator.protocol.agent.LegacyUsersRequest body) {
    return post(
        agent,
        AgentApi.PATH_LEGACY_USERS,
        body,
        io.redisoperator.protocol.agent.LegacyUsersResult.class);
  }

  private <T> CompletionStage<T> post(
      AgentEndpoint agent, String path, Object body, Class<T> type) {
    return call(agent, HttpMethod.POST, path, json(body), OPERATION_TIMEOUT, type);
  }

  private <T> CompletionStage<T> call(
      AgentEndpoint agent,
      HttpMethod method,
      String path,
      byte[] body,
      Duration timeout,
      Class<T> type) {
    return exchange
        .exchange(agent, method, path, body, timeout)
        .thenApply(answer -> parse(agent, path, answer, type));
  }

  private <T> T parse(AgentEndpoint agent, String path, Answer answer, Class<T> type) {
    try {
      return Json.contract().readValue(answer.body(), type);
    } catch (IOException e) {
      throw badAnswer(agent, path, answer, e);
    }
  }

  /** An answer this client cannot read: counted as an HTTP error of the agent. */
  private AgentCallException badAnswer(
      AgentEndpoint agent, String path, Answer answer, Exception cause) {
    return new AgentCallException(
        PollFailure.HTTP_ERROR,
        answer.status(),
        null,
        exchange.uri(agent, path) + ": bad answer: " + cause.getMessage(),
        cause);
  }

  private static byte[] json(Object body) {
    try {
      return Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize " + body, e);
    }
  }
}
