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
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@link AgentClient} over Vert.x: one Vert.x HTTP client per cluster's {@link AgentCredentials}
 * (HTTPS), all on the same event loops. Connections are pooled per pod (its name and its IP), at
 * most {@link #CONNECTIONS_PER_POD}, closed after {@link #KEEP_ALIVE} unused: a pod costs one idle
 * keep-alive connection, not a pool of its own. A call that runs past its timeout is reset, which
 * closes its connection, so a hung agent holds nothing and the next call opens a new connection in
 * the same pool. Operations (promote, switchover, ...) and urgent status requests beside a held
 * long-poll get a connection of their own while the pool has one to give.
 */
public final class HttpAgentClient implements AgentClient, AutoCloseable {
  /**
   * Promote, replicate and fence are quick on the agent's side (a few Redis commands); a call that
   * takes longer is stuck, and the failover must not wait on it: the next pass re-plans from fresh
   * polls.
   */
  public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(5);

  /**
   * A poll (or a held long-poll), an urgent status beside it, and an operation at once; more calls
   * to one pod wait for a connection (a switchover does not delay the polls that watch the
   * primary).
   */
  static final int CONNECTIONS_PER_POD = 3;

  /**
   * An unused connection is closed after this; longer than the poll interval (so polls reuse it)
   * and than the longest hold the controller asks for ({@code PollSchedule}).
   */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * A cluster's client unused this long is closed (its credentials were renewed, or it is gone).
   */
  static final Duration UNUSED_CLIENT = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final HttpClientOptions clientOptions;
  private final java.util.concurrent.ConcurrentMap<AgentCredentials, ClusterClient> clients =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final int port;
  private final LongSupplier epoch;

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
    this.port = port;
    this.epoch = epoch;
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                // A controller short of CPU (or collecting) is not a blocked event loop to warn of.
                .setBlockedThreadCheckInterval(TimeUnit.MINUTES.toMillis(10)));
    this.clientOptions =
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_1_1)
            .setKeepAlive(true)
            .setKeepAliveTimeout((int) KEEP_ALIVE.toSeconds())
            .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
            .setVerifyHost(false);
    vertx.setPeriodic(UNUSED_CLIENT.toMillis(), id -> closeUnused());
  }

  /**
   * The HTTP client of one cluster's credentials. Vert.x keeps few TLS contexts per client (64):
   * TLS options given per request thrashed that cache beyond 64 clusters, rebuilding a TLS context
   * (and losing its sessions, so no resumption) for most new connections. One client per cluster
   * keeps its one context and its sessions; the clients share the event loops.
   */
  private HttpClientAgent clientFor(AgentCredentials credentials) {
    long now = System.nanoTime();
    // Taken and marked used in one step: the sweep (closeUnused) decides in one step too, so it
    // never closes a client a call has just taken.
    return clients.compute(
            credentials,
            (c, existing) -> {
              ClusterClient client = existing == null ? newClient(c) : existing;
              client.lastUsed = now;
              return client;
            })
        .http;
  }

  private ClusterClient newClient(AgentCredentials credentials) {
    return new ClusterClient(
        vertx
            .httpClientBuilder()
            .with(clientOptions)
            .with(credentials.tls())
            .with(new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_POD).setMaxWaitQueueSize(16))
            // A connection's failure (an agent gone, a reset) reaches the call it carried; Vert.x
            // would otherwise log each one as an error.
            .withConnectHandler(connection -> connection.exceptionHandler(HttpAgentClient::ignore))
            .build());
  }

  /**
   * Closes the clients of credentials no call used for {@link #UNUSED_CLIENT}: renewed or deleted
   * clusters' (their connections have been idle longer than the keep-alive).
   */
  private void closeUnused() {
    long now = System.nanoTime();
    for (AgentCredentials credentials : clients.keySet()) {
      ClusterClient[] unused = {null};
      clients.computeIfPresent(
          credentials,
          (c, client) -> {
            if (now - client.lastUsed > UNUSED_CLIENT.toNanos()) {
              unused[0] = client;
              return null;
            }
            return client;
          });
      if (unused[0] != null) {
        unused[0].http.close();
      }
    }
  }

  /** A cluster's HTTP client and when a call last went through it. */
  private static final class ClusterClient {
    final HttpClientAgent http;
    volatile long lastUsed;

    ClusterClient(HttpClientAgent http) {
      this.http = http;
    }
  }

  /** Closes every connection and the client's threads. */
  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Shutting down anyway: the threads are daemons of a closing process or test.
    }
  }

  @Override
  public CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout) {
    return call(agent, HttpMethod.GET, AgentApi.PATH_STATUS, null, timeout, InstanceStatus.class);
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
    String path = AgentApi.PATH_STATUS + query;
    return exchange(agent, HttpMethod.GET, path, null, since == null ? timeout : timeout.plus(wait))
        .thenApply(
            answer ->
                new VersionedStatus(
                    parse(agent, path, answer, InstanceStatus.class), answer.version()));
  }

  @Override
  public CompletionStage<VersionedStatus> urgentStatus(AgentEndpoint agent, Duration timeout) {
    // The pool gives it a connection of its own while a long-poll holds another.
    return watchStatus(agent, null, Duration.ZERO, timeout);
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
    return exchange(agent, method, path, body, timeout)
        .thenApply(answer -> parse(agent, path, answer, type));
  }

  /**
   * The answer's status and body, or an {@link AgentCallException} (transport failure, HTTP error,
   * timeout). {@code timeout} covers everything: waiting for a connection, connecting, the TLS
   * handshake, the answer and its body; past it the request is reset.
   */
  private CompletionStage<Answer> exchange(
      AgentEndpoint agent, HttpMethod method, String path, byte[] body, Duration timeout) {
    String uri = "https://" + agent.ip() + ":" + port + path;
    CompletableFuture<Answer> result = new CompletableFuture<>();
    long timer =
        vertx.setTimer(
            Math.max(1, timeout.toMillis()),
            id ->
                result.completeExceptionally(
                    new AgentCallException(
                        PollFailure.TIMEOUT,
                        0,
                        null,
                        uri + ": no answer within " + timeout,
                        null)));
    result.whenComplete((answer, failure) -> vertx.cancelTimer(timer));
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            // Connections are keyed by the pod's name and IP: one opened for a pod that had this
            // IP before is never reused for another, and the TLS engine's peer host is the name
            // the agent's certificate must carry (AgentTls.podTrust).
            .setServer(SocketAddress.inetSocketAddress(port, agent.ip()))
            .setHost(agent.pod())
            .setPort(port)
            .setURI(path)
            .setSsl(true)
            .setConnectTimeout(CONNECT_TIMEOUT.toMillis());
    long current = epoch.getAsLong();
    if (current >= 0) {
      options.putHeader(AgentApi.LEADER_EPOCH_HEADER, Long.toString(current));
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    clientFor(agent.credentials())
        .request(options)
        .onComplete(
            (request, failure) -> {
              if (failure != null) {
                result.completeExceptionally(transportFailure(uri, failure));
                return;
              }
              // Its failure reaches the caller through the futures below, not this handler.
              request.exceptionHandler(HttpAgentClient::ignore);
              if (result.isDone()) {
                // Given up while waiting for a connection: never sent late (a promotion the
                // caller no longer waits for must not reach the agent); the reset of a request
                // not sent leaves the new connection open for the next call.
                request.reset();
                return;
              }
              // A call given up (timed out) once sent is reset, which closes its connection on
              // HTTP/1.1: an answer that never comes holds nothing and the pod's next call opens
              // another.
              result.whenComplete(
                  (answer, given) -> {
                    if (given != null) {
                      request.reset(0, given);
                    }
                  });
              send(request, body)
                  .compose(
                      response ->
                          response
                              .body()
                              .map(
                                  bytes ->
                                      new Answer(
                                          response.statusCode(),
                                          bytes.getBytes(),
                                          response.getHeader(AgentApi.STATUS_VERSION_HEADER))))
                  .onComplete(
                      (answer, error) -> {
                        if (error != null) {
                          result.completeExceptionally(transportFailure(uri, error));
                        } else if (answer.status() >= 200 && answer.status() < 300) {
                          result.complete(answer);
                        } else {
                          result.completeExceptionally(httpError(uri, answer));
                        }
                      });
            });
    return result;
  }

  private static void ignore(Throwable failure) {}

  private static io.vertx.core.Future<io.vertx.core.http.HttpClientResponse> send(
      HttpClientRequest request, byte[] body) {
    return body == null ? request.send() : request.send(Buffer.buffer(body));
  }

  /**
   * @param version the agent's status version header, null when absent
   */
  private record Answer(int status, byte[] body, String version) {}

  private static AgentCallException httpError(String uri, Answer answer) {
    AgentError error = parseError(answer.body());
    return new AgentCallException(
        PollFailure.HTTP_ERROR,
        answer.status(),
        error,
        uri
            + ": HTTP "
            + answer.status()
            + (error == null ? "" : " " + error.code() + ": " + error.message()),
        null);
  }

  private <T> T parse(AgentEndpoint agent, String path, Answer answer, Class<T> type) {
    try {
      return Json.contract().readValue(answer.body(), type);
    } catch (IOException e) {
      throw new AgentCallException(
          PollFailure.HTTP_ERROR,
          answer.status(),
          null,
          "https://" + agent.ip() + ":" + port + path + ": bad answer: " + e.getMessage(),
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

  static AgentCallException transportFailure(String uri, Throwable failure) {
    if (failure instanceof AgentCallException given) {
      return given;
    }
    boolean refused = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      // A connect that timed out (Netty's ConnectTimeoutException is a ConnectException) may be a
      // partition: only a refusal proves the agent is gone.
      if ((t instanceof java.net.ConnectException
              && !(t instanceof io.netty.channel.ConnectTimeoutException)
              && !message.contains("timed out"))
          || message.contains("Connection refused")) {
        refused = true;
      }
    }
    return new AgentCallException(
        refused ? PollFailure.CONNECTION_REFUSED : PollFailure.TIMEOUT,
        0,
        null,
        uri + ": " + failure.getMessage(),
        failure);
  }

  private static byte[] json(Object body) {
    try {
      return Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize " + body, e);
    }
  }
}
