package io.redisoperator.controller.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.json.Json;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One HTTPS request to an agent and its answer, on the cluster's client from {@link
 * ClusterHttpClients}: the deadline that covers the whole call, the reset of a call given up, and
 * the mapping of failures to {@link AgentCallException}s.
 */
final class AgentExchange {
  /**
   * How long a status poll given up after it was sent keeps its connection for the answer. A poll
   * that times out still counts as failed at its timeout (the evidence and its timing are
   * unchanged); only its connection outlives it. Reset at once, every late answer cost the pod's
   * next poll a new connection and TLS handshake: on a saturated controller (1000 clusters on one
   * core) the handshakes took the core, more polls timed out, and their resets asked for more
   * handshakes, until no poll was answered at all (docs/performance.md, "Density"). Kept, the
   * answer arrives late and the connection serves the next poll; an agent that never answers holds
   * it this long, while the pod's next polls take the pool's other connections or wait for one.
   */
  static final Duration LATE_STATUS_WAIT = Duration.ofSeconds(5);

  private final ClusterHttpClients clients;
  private final int port;
  private final LongSupplier epoch;

  /**
   * @param epoch the lease epoch sent with every request ({@link AgentApi#LEADER_EPOCH_HEADER});
   *     negative: none
   */
  AgentExchange(ClusterHttpClients clients, int port, LongSupplier epoch) {
    this.clients = clients;
    this.port = port;
    this.epoch = epoch;
  }

  /** The URI a call to {@code path} of this agent goes to, as failures name it. */
  String uri(AgentEndpoint agent, String path) {
    return "https://" + agent.ip() + ":" + port + path;
  }

  /**
   * The answer's status and body, or an {@link AgentCallException} (transport failure, HTTP error,
   * timeout). {@code timeout} covers everything: waiting for a connection, connecting, the TLS
   * handshake, the answer and its body; past it the request is reset.
   */
  CompletionStage<Answer> exchange(
      AgentEndpoint agent, HttpMethod method, String path, byte[] body, Duration timeout) {
    return exchange(agent, method, path, body, timeout, null, Duration.ZERO);
  }

  /**
   * As {@link #exchange(AgentEndpoint, HttpMethod, String, byte[], Duration)}, naming the status
   * version the caller has ({@link AgentApi#IF_NONE_MATCH_HEADER}, null: none): a {@code 304} then
   * answers with an empty body and the status's moving fields ({@link Answer#volatiles()}).
   *
   * @param lateAnswerWait how long a request given up after it was sent still waits for its answer
   *     (which is then dropped) before it is reset with its connection: {@link Duration#ZERO}
   *     resets it at once; a status poll keeps its connection for a late answer ({@link
   *     #LATE_STATUS_WAIT})
   */
  CompletionStage<Answer> exchange(
      AgentEndpoint agent,
      HttpMethod method,
      String path,
      byte[] body,
      Duration timeout,
      String knownVersion,
      Duration lateAnswerWait) {
    // Named only in a failure: building it for every call cost about 1 % of a steady controller.
    Supplier<String> uri = () -> uri(agent, path);
    CompletableFuture<Answer> result = new CompletableFuture<>();
    new Deadline(uri, timeout, result).arm(timeout);
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
            .setConnectTimeout(ClusterHttpClients.CONNECT_TIMEOUT.toMillis());
    long current = epoch.getAsLong();
    if (current >= 0) {
      options.putHeader(AgentApi.LEADER_EPOCH_HEADER, Long.toString(current));
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    if (knownVersion != null) {
      options.putHeader(AgentApi.IF_NONE_MATCH_HEADER, AgentApi.entityTag(knownVersion));
    }
    clients
        .clientFor(agent.credentials())
        .request(options)
        .onComplete(
            (request, failure) -> {
              if (failure != null) {
                result.completeExceptionally(transportFailure(uri.get(), failure));
                return;
              }
              // Its failure reaches the caller through the futures below, not this handler.
              request.exceptionHandler(AgentExchange::ignore);
              if (result.isDone()) {
                // Given up while waiting for a connection: never sent late (a promotion the
                // caller no longer waits for must not reach the agent); the reset of a request
                // not sent leaves the new connection open for the next call.
                request.reset();
                return;
              }
              // A call given up (timed out) once sent is reset, which closes its connection on
              // HTTP/1.1: an answer that never comes holds nothing and the pod's next call opens
              // another. A status poll's late answer is waited for first (see LATE_STATUS_WAIT).
              AtomicBoolean ended = new AtomicBoolean();
              result.whenComplete(
                  (answer, given) -> {
                    if (given == null || ended.get()) {
                      return;
                    }
                    if (lateAnswerWait.isZero()) {
                      request.reset(0, given);
                    } else {
                      clients
                          .vertx()
                          .setTimer(
                              lateAnswerWait.toMillis(),
                              id -> {
                                if (!ended.get()) {
                                  request.reset(0, given);
                                }
                              });
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
                                          response.getHeader(AgentApi.STATUS_VERSION_HEADER),
                                          response.getHeader(AgentApi.STATUS_VOLATILES_HEADER))))
                  .onComplete(
                      (answer, error) -> {
                        ended.set(true);
                        if (error != null) {
                          result.completeExceptionally(transportFailure(uri.get(), error));
                        } else if (answer.status() >= 200 && answer.status() < 300
                            || answer.status() == NOT_MODIFIED && knownVersion != null) {
                          result.complete(answer);
                        } else {
                          result.completeExceptionally(httpError(uri.get(), answer));
                        }
                      });
            });
    return result;
  }

  /**
   * Ends {@code result} with a timeout once the call's time is up, counted in time the controller
   * watched it ({@link WatchedDeadline}): a timer that ran late waits once more.
   */
  private final class Deadline {
    private final Supplier<String> uri;
    private final Duration timeout;
    private final CompletableFuture<Answer> result;
    private Duration extended = Duration.ZERO;
    private long dueNanos;
    private volatile long timer;

    Deadline(Supplier<String> uri, Duration timeout, CompletableFuture<Answer> result) {
      this.uri = uri;
      this.timeout = timeout;
      this.result = result;
      result.whenComplete((answer, failure) -> clients.vertx().cancelTimer(timer));
    }

    void arm(Duration in) {
      long millis = Math.max(1, in.toMillis());
      dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      timer = clients.vertx().setTimer(millis, id -> fired());
    }

    private void fired() {
      if (result.isDone()) {
        return;
      }
      Duration more =
          WatchedDeadline.extension(
              Duration.ofNanos(System.nanoTime() - dueNanos), extended, timeout);
      if (!more.isZero()) {
        extended = extended.plus(more);
        arm(more);
        return;
      }
      result.completeExceptionally(
          new AgentCallException(
              PollFailure.TIMEOUT,
              0,
              null,
              uri.get()
                  + ": no answer within "
                  + timeout
                  + (extended.isZero()
                      ? ""
                      : " (and " + extended.toMillis() + " ms the controller was late)"),
              null));
    }
  }

  /**
   * @param version the agent's status version header, null when absent
   * @param volatiles the moving fields of an unchanged status ({@code 304}), null when absent
   */
  record Answer(int status, byte[] body, String version, String volatiles) {
    boolean unchanged() {
      return status == NOT_MODIFIED;
    }
  }

  static final int NOT_MODIFIED = 304;

  private static void ignore(Throwable failure) {}

  private static Future<HttpClientResponse> send(HttpClientRequest request, byte[] body) {
    return body == null ? request.send() : request.send(Buffer.buffer(body));
  }

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
      if ((t instanceof ConnectException
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
}
