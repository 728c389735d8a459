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
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;

/**
 * {@link AgentClient} over the Pekko HTTP client, HTTPS with the cluster's {@link AgentCredentials}. Status polls use their own per-host pool with a single connection:
 * a slow agent holds one connection, never a pile of them. Operations (promote, switchover, ...) use a second pool so
 * a long switchover never delays the polls that watch the primary.
 */
public final class HttpAgentClient implements AgentClient {
  /**
   * Promote, replicate and fence are quick on the agent's side (a few Redis commands); a call that takes longer is
   * stuck, and the failover must not wait on it: the next pass re-plans from fresh polls.
   */
  public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final Http http;
  private final LoggingAdapter log;
  private final ConnectionPoolSettings pollPool;
  private final ConnectionPoolSettings operationPool;
  private final int port;

  public HttpAgentClient(ActorSystem<?> system) {
    this(system, AgentApi.PORT);
  }

  /** {@code port} differs from {@link AgentApi#PORT} only in tests. */
  public HttpAgentClient(ActorSystem<?> system, int port) {
    this.system = system;
    this.http = Http.get(Adapter.toClassic(system));
    this.log = Logging.getLogger(Adapter.toClassic(system), HttpAgentClient.class);
    this.port = port;
    ClientConnectionSettings connection =
        ClientConnectionSettings.create(Adapter.toClassic(system))
            .withConnectingTimeout(Duration.ofSeconds(2))
            .withIdleTimeout(Duration.ofSeconds(10));
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
            // Longer than any operation (a switchover waits up to its handoff timeout), short enough that a stuck
            // connection is given back to the pool soon.
            .withConnectionSettings(connection.withIdleTimeout(Duration.ofSeconds(15)));
  }

  @Override
  public CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout) {
    HttpRequest request = HttpRequest.GET(uri(agent, AgentApi.PATH_STATUS));
    return call(agent, request, pollPool, timeout, InstanceStatus.class);
  }

  @Override
  public CompletionStage<OperationResult> promote(AgentEndpoint agent, PromoteRequest body) {
    if (body.timeoutMillis() == null || body.timeoutMillis() > OPERATION_TIMEOUT.toMillis() / 2) {
      // A promotion the agent may still carry out after this client gave up could make a second primary.
      throw new IllegalArgumentException(
          "a promotion must carry a deadline of at most " + OPERATION_TIMEOUT.toMillis() / 2 + " ms, got " + body);
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
    return call(agent, request.withEntity(ContentTypes.APPLICATION_JSON, json(body)), operationPool, timeout, SwitchoverResult.class);
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

  private <T> CompletionStage<T> post(AgentEndpoint agent, String path, Object body, Class<T> type) {
    HttpRequest request = HttpRequest.POST(uri(agent, path)).withEntity(ContentTypes.APPLICATION_JSON, json(body));
    return call(agent, request, operationPool, OPERATION_TIMEOUT, type);
  }

  private <T> CompletionStage<T> call(
      AgentEndpoint agent, HttpRequest request, ConnectionPoolSettings pool, Duration timeout, Class<T> type) {
    CompletableFuture<T> result = new CompletableFuture<>();
    http.singleRequest(request, agent.credentials().contextFor(agent.pod()), pool, log)
        .thenCompose(response -> strictBody(response, timeout))
        .whenComplete(
            (answer, failure) -> {
              if (failure != null) {
                result.completeExceptionally(transportFailure(request, failure));
              } else {
                complete(result, request, answer, type);
              }
            });
    return result.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            failure ->
                failure instanceof TimeoutException
                    ? CompletableFuture.failedFuture(
                        new AgentCallException(
                            PollFailure.TIMEOUT, 0, null, request.getUri() + ": no answer within " + timeout, failure))
                    : CompletableFuture.failedFuture(failure));
  }

  private CompletionStage<Answer> strictBody(HttpResponse response, Duration timeout) {
    return response
        .entity()
        .toStrict(timeout.toMillis(), system)
        .thenApply(strict -> new Answer(response.status().intValue(), strict.getData().toArray()));
  }

  private record Answer(int status, byte[] body) {}

  private static <T> void complete(CompletableFuture<T> result, HttpRequest request, Answer answer, Class<T> type) {
    try {
      if (answer.status() >= 200 && answer.status() < 300) {
        result.complete(Json.contract().readValue(answer.body(), type));
      } else {
        AgentError error = parseError(answer.body());
        result.completeExceptionally(
            new AgentCallException(
                PollFailure.HTTP_ERROR,
                answer.status(),
                error,
                request.getUri() + ": HTTP " + answer.status() + (error == null ? "" : " " + error.code() + ": " + error.message()),
                null));
      }
    } catch (IOException e) {
      result.completeExceptionally(
          new AgentCallException(PollFailure.HTTP_ERROR, answer.status(), null, request.getUri() + ": bad answer: " + e.getMessage(), e));
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

  private static byte[] json(Object body) {
    try {
      return Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize " + body, e);
    }
  }
}
