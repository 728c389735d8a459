package io.redisoperator.sandbox.fleet;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The agent API of simulated pods: one HTTPS binding per pod address on {@link AgentApi#PORT}, with
 * the pod's own certificate and the agent's client check ({@link AgentTls#serverContext}), so the
 * controller's mutual TLS is the real one. Requests are answered from the pod's {@link
 * SimulatedInstance}; the fleet counts them.
 */
public final class AgentEndpoints {
  private final ActorSystem system;
  private final LongSupplier millis;
  private final FleetCounters counters;

  public AgentEndpoints(ActorSystem system, LongSupplier millis, FleetCounters counters) {
    this.system = system;
    this.millis = millis;
    this.counters = counters;
  }

  /** TLS material of a pod's agent certificate Secret (PEM strings). */
  public static SSLContext serverContext(String certPem, String keyPem, String caPem)
      throws GeneralSecurityException {
    return AgentTls.serverContext(
        KeyMaterial.fromPem(certPem, keyPem), List.copyOf(Pem.certificates(caPem)));
  }

  public CompletionStage<ServerBinding> bind(SimulatedInstance instance, SSLContext tls, int port) {
    return Http.get(system)
        .newServerAt(instance.ip(), port)
        .enableHttps(
            ConnectionContext.httpsServer(
                () -> {
                  SSLEngine engine = tls.createSSLEngine();
                  engine.setUseClientMode(false);
                  engine.setNeedClientAuth(true);
                  return engine;
                }))
        .bind(
            (org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>)
                request -> handle(instance, request));
  }

  private CompletionStage<HttpResponse> handle(SimulatedInstance instance, HttpRequest request) {
    long received = millis.getAsLong();
    String path = request.getUri().path();
    boolean get = request.method().equals(HttpMethods.GET);
    if (get && path.equals(AgentApi.PATH_STATUS)) {
      counters.statusServed(instance.podName());
      request.discardEntityBytes(system);
      String since = request.getUri().query().get(AgentApi.STATUS_SINCE_PARAM).orElse(null);
      long wait;
      try {
        wait =
            request
                .getUri()
                .query()
                .get(AgentApi.STATUS_WAIT_PARAM)
                .map(Long::parseLong)
                .orElse(0L);
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
              answer ->
                  json(200, answer.status())
                      .addHeader(
                          RawHeader.create(AgentApi.STATUS_VERSION_HEADER, answer.version())));
    }
    counters.operationServed();
    return request
        .entity()
        .toStrict(5_000, system)
        .thenApply(
            strict -> {
              byte[] body = strict.getData().toArray();
              try {
                return operation(instance, request, path, body, received);
              } catch (IOException | RuntimeException e) {
                return json(
                    400,
                    new AgentError(AgentError.BAD_REQUEST, "bad request body: " + e.getMessage()));
              }
            });
  }

  private HttpResponse operation(
      SimulatedInstance instance, HttpRequest request, String path, byte[] body, long received)
      throws IOException {
    boolean post = request.method().equals(HttpMethods.POST);
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
    } else if (request.method().equals(HttpMethods.DELETE) && path.equals(AgentApi.PATH_FENCE)) {
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

  static HttpResponse json(int status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(StatusCodes.get(status))
          .withEntity(ContentTypes.APPLICATION_JSON, Json.mapper().writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize " + body, e);
    }
  }
}
