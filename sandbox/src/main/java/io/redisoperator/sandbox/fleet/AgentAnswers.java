package io.redisoperator.sandbox.fleet;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.agent.StatusVolatiles;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * What a simulated agent answers to one request of the agent API, from its {@link
 * SimulatedInstance}: status (with the long-poll and the status version), promote, replicate, fence
 * and unfence as the real agent answers them, 400 for bad input, 501 for what the fleet does not
 * simulate. No transport: {@link AgentServer} carries requests and answers.
 */
final class AgentAnswers {
  /**
   * One answer: HTTP status, JSON body, the status version header (null: none) and, for an
   * unchanged status ({@code 304}), its moving fields (null otherwise).
   */
  record Answer(int status, byte[] body, String version, String volatiles) {}

  private final LongSupplier millis;
  private final FleetCounters counters;

  AgentAnswers(LongSupplier millis, FleetCounters counters) {
    this.millis = millis;
    this.counters = counters;
  }

  /**
   * @param uri the request target (path and query)
   * @param ifNoneMatch the status version the caller has (the request's {@code If-None-Match}),
   *     null when none
   */
  CompletionStage<Answer> answer(
      SimulatedInstance instance, String method, String uri, byte[] body, String ifNoneMatch) {
    long received = millis.getAsLong();
    QueryStringDecoder target = new QueryStringDecoder(uri);
    String path = target.path();
    if (method.equals("GET") && path.equals(AgentApi.PATH_STATUS)) {
      counters.statusServed(instance.podName());
      String since = first(target, AgentApi.STATUS_SINCE_PARAM);
      String waitParam = first(target, AgentApi.STATUS_WAIT_PARAM);
      long wait;
      try {
        wait = waitParam == null ? 0 : Long.parseLong(waitParam);
      } catch (NumberFormatException e) {
        return CompletableFuture.completedFuture(
            json(
                400,
                new AgentError(
                    AgentError.BAD_REQUEST, AgentApi.STATUS_WAIT_PARAM + " must be a number")));
      }
      return instance
          .waiters()
          .await(since, wait)
          .thenApply(
              versioned ->
                  AgentApi.matchesEntityTag(ifNoneMatch, versioned.version())
                      ? new Answer(
                          304,
                          new byte[0],
                          versioned.version(),
                          StatusVolatiles.of(versioned.status()).header())
                      : new Answer(200, bytes(versioned.status()), versioned.version(), null));
    }
    counters.operationServed();
    try {
      return CompletableFuture.completedFuture(operation(instance, method, path, body, received));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.completedFuture(
          json(400, new AgentError(AgentError.BAD_REQUEST, "bad request body: " + e.getMessage())));
    }
  }

  private Answer operation(
      SimulatedInstance instance, String method, String path, byte[] body, long received)
      throws IOException {
    boolean post = method.equals("POST");
    Optional<SimulatedInstance.Refusal> refusal;
    if (post && path.equals(AgentApi.PATH_PROMOTE)) {
      PromoteRequest promote = Json.contract().readValue(body, PromoteRequest.class);
      if (promote.expectedReplId() == null
          || promote.minOffset() == null
          || promote.timeoutMillis() == null) {
        return json(
            400,
            new AgentError(
                AgentError.BAD_REQUEST,
                "expectedReplId, minOffset and timeoutMillis are required"));
      }
      refusal = instance.promote(promote, received);
    } else if (post && path.equals(AgentApi.PATH_REPLICATE)) {
      ReplicateRequest replicate = Json.contract().readValue(body, ReplicateRequest.class);
      if (replicate.host() == null || replicate.host().isBlank()) {
        return json(400, new AgentError(AgentError.BAD_REQUEST, "host is required"));
      }
      refusal = instance.replicate(replicate.host());
    } else if (post && path.equals(AgentApi.PATH_FENCE)) {
      instance.fence();
      refusal = Optional.empty();
    } else if (method.equals("DELETE") && path.equals(AgentApi.PATH_FENCE)) {
      instance.unfence();
      refusal = Optional.empty();
    } else {
      // Switchover and backups are not simulated: the scale benchmark never asks for them.
      return json(
          501, new AgentError(AgentError.NOT_FOUND, path + " is not simulated by the fleet"));
    }
    instance.announceChange();
    if (refusal.isPresent()) {
      return json(
          refusal.get().status(), new AgentError(refusal.get().code(), refusal.get().message()));
    }
    return json(200, new OperationResult("ok", instance.status()));
  }

  private static String first(QueryStringDecoder target, String name) {
    List<String> values = target.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  static Answer json(int status, Object body) {
    return new Answer(status, bytes(body), null, null);
  }

  private static byte[] bytes(Object body) {
    try {
      return Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize " + body, e);
    }
  }
}
