package io.redisoperator.controller.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.ConnectHttp;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@link AgentClient} over the Pekko HTTP client, HTTPS with the cluster's {@link
 * AgentCredentials}. Status polls use their own per-host pool with a single connection: a slow
 * agent holds one connection, never a pile of them; an urgent status request (sent beside a held
 * long-poll) goes through the operation pool. Operations (promote, switchover, ...) use a second
 * pool so a long switchover never delays the polls that watch the primary.
 */
public final class HttpAgentClient implements AgentClient {
  /**
   * Promote, replicate and fence are quick on the agent's side (a few Redis commands); a call that
   * takes longer is stuck, and the failover must not wait on it: the next pass re-plans from fresh
   * polls.
   */
  public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final Http http;
  private final LoggingAdapter log;

  /**
   * The logging adapter of a pod's poll pool once a poll of it timed out. Pekko HTTP keys its
   * shared pools by host, settings, TLS context and logging adapter, and cannot cancel a request a
   * pool has sent: a poll that got no answer keeps the pool's one connection until its idle
   * timeout. A new adapter makes the pod's next poll go through a new pool on a new connection; the
   * abandoned pool is shut down, so it goes once its hung request ends (the connection's idle
   * timeout). Each abandonment costs a TLS handshake: a controller short of CPU pays it per
   * timed-out poll.
   */
  private final java.util.concurrent.ConcurrentMap<String, LoggingAdapter> pollLogs =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final ConnectionPoolSettings pollPool;
  private final ConnectionPoolSettings operationPool;
  private final int port;
  private final java.util.function.LongSupplier epoch;

  public HttpAgentClient(ActorSystem<?> system) {
    this(system, AgentApi.PORT);
  }

  /** {@code port} differs from {@link AgentApi#PORT} only in tests. */
  public HttpAgentClient(ActorSystem<?> system, int port) {
    this(system, port, () -> -1);
  }

  /**
   * @param epoch the lease epoch sent with every request ({@link AgentApi#LEADER_EPOCH_HEADER});
   *     negative: none (no leader election)
   */
  public HttpAgentClient(ActorSystem<?> system, int port, java.util.function.LongSupplier epoch) {
    this.epoch = epoch;
    this.system = system;
    this.http = Http.get(Adapter.toClassic(system));
    this.log = Logging.getLogger(Adapter.toClassic(system), HttpAgentClient.class);
    this.port = port;
    ClientConnectionSettings connection =
        ClientConnectionSettings.create(Adapter.toClassic(system))
            .withConnectingTimeout(Duration.ofSeconds(2))
            .withIdleTimeout(Duration.ofSeconds(10));
    // One connection; its idle timeout (10 s) outlasts the longest hold the controller asks for
    // (PollSchedule) and
    // drops a connection whose answer never came. Urgent polls beside a held one go through the
    // operation pool.
    this.pollPool =
        ConnectionPoolSettings.create(Adapter.toClassic(system))
            .withMaxConnections(1)
            .withMaxOpenRequests(4)
            .withMaxRetries(0)
            .withConnectionSettings(connection);
    this.operationPool =
        ConnectionPoolSettings.create(Adapter.toClassic(system))
            .withMaxConnections(2)
            .withMaxOpenRequests(8)
            .withMaxRetries(0)
            // Longer than any operation (a switchover waits up to its handoff timeout), short
            // enough that a stuck
            // connection is given back to the pool soon.
            .withConnectionSettings(connection.withIdleTimeout(Duration.ofSeconds(15)));
  }

  @Override
  public CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout) {
    HttpRequest request = HttpRequest.GET(uri(agent, AgentApi.PATH_STATUS));
    return call(agent, request, pollPool, timeout, InstanceStatus.class);
  }

  @Override
  public CompletionStage<VersionedStatus> watchStatus(
      AgentEndpoint agent, String since, Duration wait, Duration timeout) {
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
    HttpRequest request = HttpRequest.GET(uri(agent, AgentApi.PATH_STATUS + query));
    return exchange(agent, request, pollPool, since == null ? timeout : timeout.plus(wait))
        .thenApply(
            answer ->
                new VersionedStatus(
                    parse(request, answer, InstanceStatus.class), answer.version()));
  }

  @Override
  public CompletionStage<VersionedStatus> urgentStatus(AgentEndpoint agent, Duration timeout) {
    HttpRequest request = HttpRequest.GET(uri(agent, AgentApi.PATH_STATUS));
    return exchange(agent, request, operationPool, timeout)
        .thenApply(
            answer ->
                new VersionedStatus(
                    parse(request, answer, InstanceStatus.class), answer.version()));
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
    HttpRequest request = HttpRequest.DELETE(uri(agent, AgentApi.PATH_FENCE));
    return call(agent, request, operationPool, OPERATION_TIMEOUT, OperationResult.class);
  }

  @Override
  public CompletionStage<SwitchoverResult> switchover(AgentEndpoint agent, SwitchoverRequest body) {
    Duration timeout = OPERATION_TIMEOUT.plusMillis(body.timeoutMillis());
    HttpRequest request = HttpRequest.POST(uri(agent, AgentApi.PATH_SWITCHOVER));
    return call(
        agent,
        request.withEntity(ContentTypes.APPLICATION_JSON, json(body)),
        operationPool,
        timeout,
        SwitchoverResult.class);
  }

  @Override
  public CompletionStage<BackupProgress> startBackup(AgentEndpoint agent, BackupRequest body) {
    return post(agent, AgentApi.PATH_BACKUP, body, BackupProgress.class);
  }

  @Override
  public CompletionStage<BackupProgress> backupProgress(AgentEndpoint agent) {
    HttpRequest request = HttpRequest.GET(uri(agent, AgentApi.PATH_BACKUP));
    return call(agent, request, operationPool, OPERATION_TIMEOUT, BackupProgress.class);
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
    HttpRequest request =
        HttpRequest.POST(uri(agent, path)).withEntity(ContentTypes.APPLICATION_JSON, json(body));
    return call(agent, request, operationPool, OPERATION_TIMEOUT, type);
  }

  private <T> CompletionStage<T> call(
      AgentEndpoint agent,
      HttpRequest request,
      ConnectionPoolSettings pool,
      Duration timeout,
      Class<T> type) {
    return exchange(agent, request, pool, timeout)
        .thenApply(answer -> parse(request, answer, type));
  }

  /**
   * The answer's status and body, or an {@link AgentCallException} (transport failure, HTTP error,
   * timeout).
   */
  private CompletionStage<Answer> exchange(
      AgentEndpoint agent, HttpRequest request, ConnectionPoolSettings pool, Duration timeout) {
    CompletableFuture<Answer> result = new CompletableFuture<>();
    LoggingAdapter poolLog = pool == pollPool ? pollLogs.getOrDefault(agent.pod(), log) : log;
    http.singleRequest(
            withEpoch(request), agent.credentials().contextFor(agent.pod()), pool, poolLog)
        .thenCompose(response -> strictBody(response, timeout))
        .whenComplete(
            (answer, failure) -> {
              if (failure != null) {
                result.completeExceptionally(transportFailure(request, failure));
              } else if (answer.status() >= 200 && answer.status() < 300) {
                result.complete(answer);
              } else {
                AgentError error = parseError(answer.body());
                result.completeExceptionally(
                    new AgentCallException(
                        PollFailure.HTTP_ERROR,
                        answer.status(),
                        error,
                        request.getUri()
                            + ": HTTP "
                            + answer.status()
                            + (error == null ? "" : " " + error.code() + ": " + error.message()),
                        null));
              }
            });
    return result
        .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            failure -> {
              if (failure instanceof TimeoutException && pool == pollPool) {
                // Only the pool this poll went through is abandoned, not one a later poll opened.
                boolean[] abandoned = {false};
                pollLogs.compute(
                    agent.pod(),
                    (pod, current) -> {
                      if ((current == null ? log : current) != poolLog) {
                        return current;
                      }
                      abandoned[0] = true;
                      return Logging.getLogger(Adapter.toClassic(system), HttpAgentClient.class);
                    });
                if (abandoned[0]) {
                  shutDownPollPool(agent, poolLog);
                }
              }
              return failure instanceof TimeoutException
                  ? CompletableFuture.failedFuture(
                      new AgentCallException(
                          PollFailure.TIMEOUT,
                          0,
                          null,
                          request.getUri() + ": no answer within " + timeout,
                          failure))
                  : CompletableFuture.failedFuture(failure);
            });
  }

  /**
   * Asks the abandoned pool to shut down: it takes no new request and goes once its hung one ends
   * (at the connection's idle timeout), instead of idling on with its TLS buffers for the pool's
   * own idle timeout.
   */
  private void shutDownPollPool(AgentEndpoint agent, LoggingAdapter poolLog) {
    ConnectHttp target =
        ConnectHttp.toHostHttps(agent.ip(), port)
            .withCustomHttpsContext(agent.credentials().contextFor(agent.pod()));
    Source.<Pair<HttpRequest, Object>>empty()
        .viaMat(http.<Object>cachedHostConnectionPool(target, pollPool, poolLog), Keep.right())
        .to(Sink.ignore())
        .run(system)
        .shutdown();
  }

  private CompletionStage<Answer> strictBody(HttpResponse response, Duration timeout) {
    String version =
        response.getHeader(AgentApi.STATUS_VERSION_HEADER).map(h -> h.value()).orElse(null);
    return response
        .entity()
        .toStrict(timeout.toMillis(), system)
        .thenApply(
            strict ->
                new Answer(response.status().intValue(), strict.getData().toArray(), version));
  }

  /**
   * @param version the agent's status version header, null when absent
   */
  private record Answer(int status, byte[] body, String version) {}

  private static <T> T parse(HttpRequest request, Answer answer, Class<T> type) {
    try {
      return Json.contract().readValue(answer.body(), type);
    } catch (IOException e) {
      throw new AgentCallException(
          PollFailure.HTTP_ERROR,
          answer.status(),
          null,
          request.getUri() + ": bad answer: " + e.getMessage(),
          e);
    }
  }

  private static AgentError parseError(byte[] body) {
    try {
      JsonNode node = Json.mapper().readTree(body);
      return node != null && node.has("code")
          ? new AgentError(node.path("code").asText(), node.path("message").asText())
          : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static AgentCallException transportFailure(HttpRequest request, Throwable failure) {
    boolean refused = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException
          || (t.getMessage() != null && t.getMessage().contains("Connection refused"))) {
        refused = true;
      }
    }
    return new AgentCallException(
        refused ? PollFailure.CONNECTION_REFUSED : PollFailure.TIMEOUT,
        0,
        null,
        request.getUri() + ": " + failure.getMessage(),
        failure);
  }

  private String uri(AgentEndpoint agent, String path) {
    return "https://" + agent.ip() + ":" + port + path;
  }

  /**
   * Every request carries the lease epoch when this controller has one: agents refuse a deposed
   * one's operations.
   */
  private HttpRequest withEpoch(HttpRequest request) {
    long current = epoch.getAsLong();
    return current < 0
        ? request
        : request.addHeader(
            org.apache.pekko.http.javadsl.model.headers.RawHeader.create(
                AgentApi.LEADER_EPOCH_HEADER, Long.toString(current)));
  }

  private static byte[] json(Object body) {
    try {
      return Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize " + body, e);
    }
  }
}
