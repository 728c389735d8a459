package io.redisoperator.agent.http;

import io.redisoperator.agent.metrics.AgentMetrics;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import java.time.Duration;
import java.util.Set;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request on either port goes through: counted and timed by path, an unknown path a 404
 * and an unexpected failure a 500, both as {@link AgentError}s.
 */
final class RequestEnvelope extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(RequestEnvelope.class);

  /** The metric's path label: these paths as they are, anything else {@code other}. */
  private static final Set<String> KNOWN_PATHS =
      Set.of(
          AgentApi.PATH_STATUS,
          AgentApi.PATH_PROMOTE,
          AgentApi.PATH_REPLICATE,
          AgentApi.PATH_FENCE,
          AgentApi.PATH_SWITCHOVER,
          AgentApi.PATH_BACKUP,
          AgentApi.PATH_LEGACY_USERS,
          AgentApi.PATH_HEALTHZ,
          AgentApi.PATH_READYZ,
          AgentApi.PATH_METRICS);

  private final AgentMetrics metrics;

  RequestEnvelope(AgentMetrics metrics) {
    this.metrics = metrics;
  }

  Route around(Route routes) {
    return instrumented(
        handleExceptions(
            ExceptionHandler.newBuilder()
                .matchAny(
                    e -> {
                      log.error("unexpected error serving a request", e);
                      return complete(Responses.error(500, AgentError.INTERNAL, "internal error"));
                    })
                .build(),
            () ->
                handleRejections(
                    RejectionHandler.newBuilder()
                        .handleNotFound(
                            complete(
                                Responses.error(404, AgentError.NOT_FOUND, "no such endpoint")))
                        .build()
                        .withFallback(RejectionHandler.defaultHandler()),
                    () -> routes)));
  }

  private Route instrumented(Route inner) {
    return extractRequest(
        request -> {
          long start = System.nanoTime();
          String path = request.getUri().path();
          String label = KNOWN_PATHS.contains(path) ? path : "other";
          return mapResponse(
              response -> {
                metrics.recordRequest(
                    request.method().value(),
                    label,
                    response.status().intValue(),
                    Duration.ofNanos(System.nanoTime() - start));
                return response;
              },
              () -> inner);
        });
  }
}
